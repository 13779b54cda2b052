"""Data for the new safety rules (issue 10), before the constraints that hold them.

- A flag an edit had closed becomes *withdrawn*, with who (the person whose edit closed it, from the flag's own
  history; else the visit's author), when (when it closed) and why ("recorded before reasons were asked for").
- A baseline ALP recorded without its measurement date takes the date it was recorded (from the history): the
  best known truth, stated as such in docs/clinical-content.md.
- A built-in item retired in a checklist version is asked again (RULES.md §3: built-in items are never removed).
"""

from django.db import migrations
from django.utils import timezone

LEGACY_WITHDRAWAL = "No longer raised after an edit (withdrawn before reasons were asked for)."
BASELINE_DATED = "Baseline ALP dated the day it was recorded (issue 10: a baseline is kept with its date)."
BUILTIN_ASKED = "Built-in items are never retired (RULES.md section 3)."


def _record(historical, row, reason):
    """Keep the change in the row's history, as every other change is kept (the history is append-only)."""
    names = {field.attname for field in historical._meta.concrete_fields}
    values = {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}
    historical.objects.create(
        **{name: value for name, value in values.items() if name in names},
        history_date=timezone.now(),
        history_type="~",
        history_change_reason=reason,
    )


def forwards(apps, schema_editor):
    Flag = apps.get_model("checklists", "Flag")
    HistoricalFlag = apps.get_model("checklists", "HistoricalFlag")
    Patient = apps.get_model("checklists", "Patient")
    HistoricalPatient = apps.get_model("checklists", "HistoricalPatient")
    ChecklistItem = apps.get_model("checklists", "ChecklistItem")
    for flag in Flag.objects.filter(status="closed").select_related("visit"):
        closing = (
            HistoricalFlag.objects.filter(id=flag.pk, status="closed", history_user__isnull=False)
            .order_by("-history_date")
            .first()
        )
        flag.status = "withdrawn"
        flag.withdrawn_by_id = closing.history_user_id if closing else flag.visit.seen_by_id
        flag.withdrawn_at = flag.withdrawn_at or (closing.history_date if closing else flag.raised_at)
        flag.withdrawn_reason = LEGACY_WITHDRAWAL
        flag.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawn_reason"])
        _record(HistoricalFlag, flag, LEGACY_WITHDRAWAL)
    for patient in Patient.objects.filter(baseline_alp__isnull=False, baseline_alp_measured_on__isnull=True):
        recorded = (
            HistoricalPatient.objects.filter(id=patient.pk, baseline_alp=patient.baseline_alp)
            .order_by("history_date")
            .first()
        )
        patient.baseline_alp_measured_on = (recorded.history_date if recorded else patient.created_at).date()
        patient.save(update_fields=["baseline_alp_measured_on"])
        _record(HistoricalPatient, patient, BASELINE_DATED)
    HistoricalChecklistItem = apps.get_model("checklists", "HistoricalChecklistItem")
    for item in ChecklistItem.objects.filter(is_builtin=True, retired=True):
        item.retired = False
        item.save(update_fields=["retired"])
        _record(HistoricalChecklistItem, item, BUILTIN_ASKED)


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0014_flag_withdrawal_carry_over_unit_confirmation"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
