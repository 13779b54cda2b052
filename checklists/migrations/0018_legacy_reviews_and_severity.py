"""Data the issue 10 rules expect, from rows older code wrote (issue 10 review):

- A "known and stable" review the old carry-over *copied* onto a later visit's flag (status reviewed, action
  known_stable, the earlier reviewer, reviewed "now") is not a review of that flag: it opens again, so a
  clinician looks at it (some were worse than what was reviewed).
- An urgent flag is never "known and stable" (RULES.md): a stable-until date on one is cleared.
- Each flag gets the severity it was raised with (CTCAE grade or score total from the visit's stored evaluation,
  and the screen items answered yes that its rule reads), so "no worse" compares like with like and an edit of an
  old visit does not reopen every reviewed flag.

Every change is kept in the flag's history with its reason. Batched, so it stays quick on large tables.
"""

from django.db import migrations
from django.utils import timezone

from checklists.migration_operations import record_history

COPIED_REVIEW = "A known-and-stable review copied from an earlier visit is not a review of this flag: open again."
URGENT_NOT_STABLE = "Urgent flags are never known and stable (issue 10): the stable-until date is cleared."
SEVERITY_RECORDED = "The severity this flag was raised with, from the visit's stored evaluation (issue 10)."
BATCH = 500

# The screen items each built-in rule read when this migration was written (checklists/rules/flags.py).
READS = {
    "MSCC_SUSPECTED": {
        "limb_weakness",
        "numbness",
        "difficulty_walking",
        "urinary_difficulty",
        "urinary_incontinence",
        "bowel_incontinence",
        "constipation_new",
        "spinal_pain_new",
    },
    "SPINAL_METASTASIS_PAIN": {"spinal_pain_new"},
    "PATHOLOGICAL_FRACTURE_SUSPECTED": {"sudden_severe_pain", "unable_to_move_affected_part", "pain_after_minor_activity"},
    "NEW_BONE_PAIN": {"bone_pain_new", "bone_pain_worse_at_rest_or_night"},
    "HYPERCALCAEMIA_SYMPTOMS": {
        "nausea",
        "vomiting",
        "constipation_new",
        "loss_of_appetite",
        "extreme_thirst",
        "polyuria",
        "dehydration",
        "fatigue",
        "generalised_weakness",
        "kidney_stones",
    },
    "ALTERED_MENTAL_STATUS": {"unresponsive_or_coma", "confusion", "drowsiness"},
    "ONJ_SYMPTOMS": {"jaw_symptoms"},
    "CYTOPENIA_SYMPTOMS": {"bruising_or_bleeding", "frequent_infections"},
}
# Where each graded flag's severity is in the stored evaluation document (RULES.md §8).
GRADES = {
    "HYPERCALCAEMIA_LAB": ("calcium", "ctcae_grade"),
    "HYPOCALCAEMIA_LAB": ("calcium", "hypocalcaemia_grade"),
    "ALP_ELEVATED": ("alp", "ctcae_grade"),
    "MIRELS_FRACTURE_RISK": ("mirels", "total"),
    "SINS_INSTABILITY": ("sins", "total"),
}
STAFF_ITEM_PREFIX = "ITEM_"
REVIEW_CLEARED = {"reviewed_by": None, "reviewed_at": None, "review_action": "", "review_note": "", "stable_until": None}


def _grade(flag):
    part, key = GRADES.get(flag.code, (None, None))
    document = (flag.visit.evaluation or {}).get(part) if part else None
    return document.get(key) if isinstance(document, dict) else None


def _triggered_by(flag, yes: set[str]) -> list[str]:
    if flag.code.startswith(STAFF_ITEM_PREFIX):
        key = flag.code[len(STAFF_ITEM_PREFIX) :].lower()
        return [key] if key in yes else []
    return sorted(yes & READS.get(flag.code, set()))


def forwards(apps, schema_editor):
    Flag = apps.get_model("checklists", "Flag")
    HistoricalFlag = apps.get_model("checklists", "HistoricalFlag")
    ScreenAnswer = apps.get_model("checklists", "ScreenAnswer")
    now = timezone.now()

    for flag in Flag.objects.filter(status="reviewed", review_action="known_stable").iterator():
        flag.status = "open"
        for name, value in REVIEW_CLEARED.items():
            setattr(flag, name, value)
        flag.save(update_fields=["status", *REVIEW_CLEARED])
        record_history(HistoricalFlag, flag, COPIED_REVIEW, now)

    for flag in Flag.objects.filter(tier="urgent", stable_until__isnull=False).iterator():
        flag.stable_until = None
        flag.save(update_fields=["stable_until"])
        record_history(HistoricalFlag, flag, URGENT_NOT_STABLE, now)

    last = 0
    while True:
        batch = list(
            Flag.objects.filter(pk__gt=last, grade__isnull=True).select_related("visit").order_by("pk")[:BATCH]
        )
        if not batch:
            break
        last = batch[-1].pk
        yes: dict[int, set[str]] = {}
        answers = ScreenAnswer.objects.filter(visit_id__in={flag.visit_id for flag in batch}, answer="yes")
        for visit_id, key in answers.values_list("visit_id", "item__key"):
            yes.setdefault(visit_id, set()).add(key.lower())
        changed = []
        for flag in batch:
            if flag.triggered_by:
                continue  # raised by the new rules already
            grade, triggered = _grade(flag), _triggered_by(flag, yes.get(flag.visit_id, set()))
            if grade is None and not triggered:
                continue
            flag.grade, flag.triggered_by = grade, triggered
            changed.append(flag)
        Flag.objects.bulk_update(changed, ["grade", "triggered_by"])
        for flag in changed:
            record_history(HistoricalFlag, flag, SEVERITY_RECORDED, now)


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0017_reference_range_limit_labels"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
