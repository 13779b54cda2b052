"""Issue 10 §2: an edit never closes a flag without a decision. A flag that stops firing is withdrawn with who,
when and why; an open urgent or emergency one needs the editor's reason first; it stays on every page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from checklists import selectors, services, trends
from checklists.models import Flag
from checklists.services.flags import DEFAULT_WITHDRAWAL, WithdrawalNeedsReason
from tests.conftest import lab, visit_entry
from tests.views.helpers import login

pytestmark = pytest.mark.django_db


def edit(visit, by, reason="", withdraw=frozenset({"MSCC_SUSPECTED"}), **entry):
    """An edit by someone who was shown the MSCC flag as "will be withdrawn" (when it is) and agreed."""
    return services.update_visit(
        visit=visit,
        entry=visit_entry(**entry),
        lock_version=visit.lock_version,
        by=by,
        reason=reason,
        withdraw=withdraw,
    )


def test_withdrawing_an_open_emergency_needs_a_reason_and_writes_nothing_without_one(visit, nurse):
    version = visit.lock_version
    with pytest.raises(WithdrawalNeedsReason) as refused:
        edit(visit, nurse, nausea=True)
    with pytest.raises(WithdrawalNeedsReason):  # a reason typed for another change is not a decision about it
        edit(visit, nurse, reason="Nausea added", withdraw=frozenset(), nausea=True)
    assert str(refused.value) == (
        "These flags will be withdrawn: Suspected spinal cord compression (emergency) \u2014 why? "
        "Give the reason for the change."
    )
    assert [flag.code for flag in refused.value.flags] == ["MSCC_SUSPECTED"]
    visit.refresh_from_db()
    assert (visit.tier, visit.lock_version, visit.flags.get().status) == ("emergency", version, "open")
    assert visit.answers.get(item__key="limb_weakness").answer == "yes"  # the edit rolled back
    assert not visit.flags.filter(code="HYPERCALCAEMIA_SYMPTOMS").exists()


def test_with_a_reason_the_flag_is_withdrawn_with_who_when_why_and_leaves_the_worklist(visit, nurse, doctor):
    edited = edit(visit, doctor, reason="  Weakness was for another patient  ", nausea=True)
    flag = Flag.objects.get(visit=visit, code="MSCC_SUSPECTED")
    assert (flag.status, flag.withdrawn_by, flag.withdrawn_reason) == (
        "withdrawn",
        doctor,
        "Weakness was for another patient",
    )
    assert flag.withdrawn_at is not None
    assert (flag.reviewed_by, flag.reviewed_at) == (None, None)  # withdrawn is not reviewed
    assert edited.tier == "prompt_review"
    assert [f.code for f in selectors.worklist(nurse)] == ["HYPERCALCAEMIA_SYMPTOMS"]
    assert flag.history.filter(status="open").exists()  # what it was is kept in the history


def test_an_open_prompt_review_flag_is_withdrawn_without_asking(patient, nurse):
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(nausea=True))
    edit(visit, nurse, vomiting=True)
    flag = visit.flags.get(code="HYPERCALCAEMIA_SYMPTOMS")  # still fires: kept
    assert flag.status == "open"
    edit(Flag.objects.get(pk=flag.pk).visit, nurse)
    flag.refresh_from_db()
    assert (flag.status, flag.withdrawn_by, flag.withdrawn_reason) == ("withdrawn", nurse, DEFAULT_WITHDRAWAL)


def test_a_withdrawn_flag_that_fires_again_reopens(visit, nurse):
    edit(visit, nurse, reason="Typo", nausea=True)
    visit.refresh_from_db()
    edit(visit, nurse, limb_weakness=True)
    flag = visit.flags.get(code="MSCC_SUSPECTED")
    assert (flag.status, flag.withdrawn_at, flag.withdrawn_by, flag.withdrawn_reason) == ("open", None, None, "")


def test_a_reviewed_flag_that_stops_firing_is_withdrawn_and_keeps_its_review(visit, nurse, doctor):
    services.review_flag(flag=visit.flags.get(), by=doctor, action="seen_in_clinic", note="Examined: no weakness")
    visit.refresh_from_db()
    with pytest.raises(services.ReasonNeeded):
        edit(visit, nurse)
    edit(visit, nurse, reason="Weakness ticked by mistake")
    flag = visit.flags.get()
    assert (flag.status, flag.reviewed_by, flag.withdrawn_by) == ("withdrawn", doctor, nurse)


def test_the_visit_page_printout_and_patient_page_show_the_withdrawn_flag(visit, nurse, doctor):
    edit(visit, doctor, reason="Weakness was for another patient", nausea=True)
    client = login(nurse)
    for url in (
        visit.get_absolute_url(),
        reverse("checklists:visit-summary", args=[visit.pk]),
        visit.patient.get_absolute_url(),
    ):
        content = client.get(url).content.decode()
        assert "Withdrawn after edit" in content, url
        assert "Suspected spinal cord compression" in content, url
        assert "by Bea Doctor" in content and "“Weakness was for another patient”" in content, url


def test_the_clinic_lists_its_withdrawn_flags_and_no_other_clinics(visit, nurse, doctor, outsider, patient_b):
    edit(visit, doctor, reason="Weakness was for another patient", nausea=True)
    theirs = services.record_visit(patient=patient_b, seen_by=outsider, entry=visit_entry(limb_weakness=True))
    edit(theirs, outsider, reason="Other clinic's reason", nausea=True)
    url = reverse("checklists:withdrawn-flags")
    content = login(nurse).get(url).content.decode()
    assert "Weakness was for another patient" in content
    assert "Other clinic" not in content and patient_b.family_name.upper() not in content
    assert "1 withdrawn flag" in content
    assert "No flags were withdrawn that match" in login(nurse).get(url, {"tier": "routine"}).content.decode()
    assert login(nurse).get(url, {"tier": "nonsense"}).status_code == 200


def test_re_evaluation_withdraws_an_urgent_flag_only_with_the_persons_reason(visit, doctor):
    from checklists.services.re_evaluation import RE_EVALUATED

    old = {"title": "Old", "reason": "old", "rules_version": "0", "raised_at": visit.created_at}
    Flag.objects.create(visit=visit, code="NEW_BONE_PAIN", tier="urgent", **old)
    Flag.objects.create(visit=visit, code="CYTOPENIA_SYMPTOMS", tier="routine", **old)
    with pytest.raises(WithdrawalNeedsReason):
        services.re_evaluate_visit(visit=visit, by=doctor, lock_version=visit.lock_version)
    services.re_evaluate_visit(
        visit=visit, by=doctor, lock_version=visit.lock_version, reason="Old rule", withdraw={"NEW_BONE_PAIN"}
    )
    urgent, routine = visit.flags.get(code="NEW_BONE_PAIN"), visit.flags.get(code="CYTOPENIA_SYMPTOMS")
    assert (urgent.status, urgent.withdrawn_by, urgent.withdrawn_reason) == ("withdrawn", doctor, "Old rule")
    assert routine.withdrawn_reason == "Old rule"
    Flag.objects.create(visit=visit, code="ONJ_SYMPTOMS", tier="routine", **old)
    visit.refresh_from_db()
    services.re_evaluate_visit(visit=visit, by=doctor, lock_version=visit.lock_version)
    assert visit.flags.get(code="ONJ_SYMPTOMS").withdrawn_reason == RE_EVALUATED


def test_withdrawn_flags_do_not_count_on_the_visit_tier_or_trends(patient, nurse):
    visit = services.record_visit(
        patient=patient,
        seen_by=nurse,
        entry=visit_entry(labs=[lab("calcium_total", "2.70", "mmol/L"), lab("albumin", "40", "g/L")]),
    )
    visit = edit(visit, nurse, labs=[lab("calcium_total", "2.40", "mmol/L"), lab("albumin", "40", "g/L")])
    assert visit.tier == "none"
    assert visit.flags.get().status == "withdrawn"
    visits = list(selectors.patient_visits(patient))
    assert trends.raised(visits[0]) == []  # no trend point is marked by it
    open_flags, withdrawn = selectors.flags_of_patient(visits)
    assert open_flags == [] and [flag.code for flag in withdrawn] == ["HYPERCALCAEMIA_LAB"]


def test_lowering_an_open_emergency_needs_the_same_decision(patient, nurse):
    """Issue 10 review: 5.8 mg/dL (grade 4, emergency) re-entered as 7.5 mg/dL (grade 2, prompt review)."""
    from checklists.entries import LabEntry, VisitEntry
    from tests.conftest import TODAY, all_no

    def entry(value):
        calcium = LabEntry("calcium_total", Decimal(value), "mg/dL", unit_confirmed=True)
        return VisitEntry(visit_date=TODAY, answers=all_no(), labs=(calcium, lab("albumin", "4.0", "g/dL")))

    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry("5.8"))
    assert visit.flags.get().tier == "emergency"
    with pytest.raises(WithdrawalNeedsReason) as refused:
        services.update_visit(visit=visit, entry=entry("7.5"), lock_version=visit.lock_version, by=nurse, reason="x")
    assert str(refused.value) == (
        "These flags will be withdrawn or lowered: Low calcium (hypocalcaemia) (emergency, lowered to prompt review)"
        " \u2014 why? Give the reason for the change."
    )
    services.update_visit(
        visit=visit,
        entry=entry("7.5"),
        lock_version=visit.lock_version,
        by=nurse,
        reason="Re-entered from the lab report",
        withdraw={"HYPOCALCAEMIA_LAB"},
    )
    assert visit.flags.get().tier == "prompt_review"
