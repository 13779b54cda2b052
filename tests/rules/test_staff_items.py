"""Items clinic admins add raise the flag the admin gave them; the built-in rules are unchanged."""

import pytest

from checklists.rules import Findings, FindingsError, Tier, evaluate
from checklists.rules.document import findings_from_document
from checklists.rules.findings import StaffItem

FALLS = StaffItem("falls_new", "Any new falls?", "urgent", "New falls", ("ACS-2016",))


def test_a_staff_item_answered_yes_raises_its_flag():
    evaluation = evaluate(Findings(staff_items=(FALLS,)))
    (flag,) = evaluation.flags
    assert (flag.code, flag.tier, flag.title, flag.sources) == (
        "ITEM_FALLS_NEW",
        Tier.URGENT,
        "New falls",
        ("ACS-2016",),
    )
    assert flag.reason == "Answered yes: Any new falls?"
    assert evaluation.visit_tier == Tier.URGENT


def test_built_in_flags_stay_first_within_a_tier():
    evaluation = evaluate(Findings(symptoms=frozenset(["spinal_pain_new"]), staff_items=(FALLS,)))
    assert [flag.code for flag in evaluation.flags] == ["SPINAL_METASTASIS_PAIN", "ITEM_FALLS_NEW"]


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (lambda: StaffItem("limb_weakness", "x", "urgent", "x"), "key"),
        (lambda: StaffItem("x", "x", "none", "x"), "tier"),
        (lambda: StaffItem("x", "x", "critical", "x"), "tier"),
    ],
)
def test_staff_items_are_checked(item, field):
    with pytest.raises(FindingsError) as refused:
        item()
    assert refused.value.field == field


def test_a_document_may_answer_the_clinics_items_and_drops_items_not_asked():
    document = {"primary_cancer": "lung", "symptoms": {"falls_new": True, "nausea": True, "numbness": True}}
    findings = findings_from_document(document, staff_items=(FALLS,), asked={"falls_new", "numbness"})
    assert findings.symptoms == {"numbness"}
    assert findings.staff_items == (FALLS,)
    with pytest.raises(FindingsError):
        findings_from_document(document)  # without the clinic's items, falls_new is unknown
