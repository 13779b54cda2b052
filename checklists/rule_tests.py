"""Run the clinic's rule test cases against a checklist version (the current one, or a draft)."""

import json

from django.db.models import Q

from checklists.rules import FindingsError, evaluate
from checklists.rules.document import evaluation_to_document, findings_from_document, parse
from checklists.rules.findings import StaffItem
from checklists.rules.judge import problems

from .models import ChecklistItem, RuleTestCase


def asked_items(version) -> list[ChecklistItem]:
    return list(version.items.filter(retired=False).select_related("flag_source").order_by("order"))


def staff_items(items) -> tuple[StaffItem, ...]:
    """The clinic's own items that raise a flag, as the rules engine takes them."""
    return tuple(
        StaffItem(
            item.key,
            item.wording,
            item.flag_tier,
            item.flag_title or item.wording,
            (item.flag_source.key,) if item.flag_source else (),
        )
        for item in items
        if item.flag_tier and not item.is_builtin
    )


def findings_of(document, items, asked=True):
    """The Findings of a stored findings document. JSONField hands numbers back as floats, so the document goes
    through JSON text again to be read with exact decimals, as the evaluate command reads it."""
    keys = {item.key for item in items} if asked else None
    return findings_from_document(parse(json.dumps(document)), staff_items(items), asked=keys)


def judge_case(case: RuleTestCase, items) -> list[str]:
    """What is wrong when the case's findings are screened with these items; empty when it passes."""
    try:
        findings = findings_of(case.findings, items)
    except FindingsError as refused:
        return [f"the findings are refused: {refused}"]
    output = evaluation_to_document(evaluate(findings))
    expected = {
        "visit_tier": case.expected_visit_tier,
        "flags_must_fire": case.flags_must_fire,
        "flags_may_fire": case.flags_may_fire,
    }
    return problems(output, expected)


def cases_for(clinic_id):
    """The built-in worked examples every clinic shares, and the clinic's own cases."""
    return RuleTestCase.objects.filter(Q(clinic__isnull=True) | Q(clinic_id=clinic_id)).order_by("name")


def results(version) -> list[tuple[RuleTestCase, list[str]]]:
    """Every test case of the version's clinic with its problems against the version (loads its items once)."""
    items = asked_items(version)
    return [(case, judge_case(case, items)) for case in cases_for(version.clinic_id)]
