"""Give every existing clinic its own checklist (issue 12), without changing what any past visit shows.

Until now one checklist served every clinic. Each clinic gets its own copy of the current published version
(same number, wording, order and flags) and of the open draft, if there is one; the shared versions stay as
they are, without a clinic, because past visits point at them and must keep the wording they were asked with.
No new visit uses a shared version. The clinics' own rule test cases are copied to every clinic; the
built-in worked examples stay shared. Every copy is written into its history with the reason.
"""

from django.db import migrations
from django.utils import timezone

from checklists.migration_operations import record_history

REASON = "Each clinic has its own checklist (issue 12): copied for {clinic} from the shared checklist v{number}."
CASE_REASON = "Each clinic has its own rule test cases (issue 12): copied for {clinic}."
MOVED = "Each clinic has its own checklist and test cases (issue 12): copied to every clinic, so removed here."
NO_CLINIC = "Each rule test case belongs to a clinic (issue 12): there was no clinic to copy it to."
ITEM_FIELDS = (
    "key",
    "section",
    "wording",
    "help_text",
    "order",
    "is_builtin",
    "retired",
    "flag_tier",
    "flag_title",
    "flag_source_id",
)
CASE_FIELDS = ("name", "description", "findings", "expected_visit_tier", "flags_must_fire", "flags_may_fire")


def copy_to_every_clinic(apps, schema_editor):
    Clinic = apps.get_model("checklists", "Clinic")
    ChecklistVersion = apps.get_model("checklists", "ChecklistVersion")
    ChecklistItem = apps.get_model("checklists", "ChecklistItem")
    RuleTestCase = apps.get_model("checklists", "RuleTestCase")
    history = {
        name: apps.get_model("checklists", f"Historical{name}")
        for name in ("ChecklistVersion", "ChecklistItem", "RuleTestCase")
    }
    now = timezone.now()
    shared = ChecklistVersion.objects.filter(clinic__isnull=True)
    current = shared.filter(published_at__isnull=False).order_by("-number").first()
    draft = shared.filter(published_at__isnull=True).order_by("-number").first()
    own_cases = list(RuleTestCase.objects.filter(is_builtin=False, clinic__isnull=True))
    clinics = list(Clinic.objects.order_by("pk"))
    for clinic in clinics:  # a handful of clinics, a few dozen items each
        for version in (current, draft):
            if version is None:
                continue
            reason = REASON.format(clinic=clinic.name, number=version.number)
            copy = ChecklistVersion.objects.create(
                clinic=clinic,
                number=version.number,
                published_at=version.published_at,
                published_by_id=version.published_by_id,
                note=version.note,
                published_despite_failures=version.published_despite_failures,
            )
            record_history(history["ChecklistVersion"], copy, reason, now, kind="+")
            for item in ChecklistItem.objects.filter(version=version).order_by("order"):
                item_copy = ChecklistItem.objects.create(
                    version=copy, **{field: getattr(item, field) for field in ITEM_FIELDS}
                )
                record_history(history["ChecklistItem"], item_copy, reason, now, kind="+")
        for case in own_cases:
            case_copy = RuleTestCase.objects.create(
                clinic=clinic, **{field: getattr(case, field) for field in CASE_FIELDS}
            )
            record_history(history["RuleTestCase"], case_copy, CASE_REASON.format(clinic=clinic.name), now, kind="+")
    # The shared draft now lives on as each clinic's draft; nothing points at it. The shared cases likewise (a case
    # must belong to a clinic from 0027 on). Each removal is kept in the history, as every change is.
    if draft is not None and clinics:
        for item in ChecklistItem.objects.filter(version=draft):
            record_history(history["ChecklistItem"], item, MOVED, now, kind="-")
            item.delete()
        record_history(history["ChecklistVersion"], draft, MOVED, now, kind="-")
        draft.delete()
    for case in own_cases:
        record_history(history["RuleTestCase"], case, MOVED if clinics else NO_CLINIC, now, kind="-")
        case.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0025_checklist_per_clinic"),
    ]

    operations = [migrations.RunPython(copy_to_every_clinic, migrations.RunPython.noop)]
