"""Each clinic's admins change the clinic's checklist in a draft version and publish it; past visits keep their
version, and other clinics' checklists never change (issue 12)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from checklists import rule_tests
from checklists.models import ChecklistItem, ChecklistVersion, Clinic
from checklists.rules.flags import SAFETY_FLOOR
from checklists.rules.vocabulary import SYMPTOM_KEYS

from . import roles

FLOOR_MISSING = "The draft must ask every safety-floor item; it does not ask: {keys}."
BUILTIN_MISSING = "The draft must ask every built-in item; it does not ask: {keys}."
NOT_A_DRAFT = "Checklist v{number} is already published; start a new draft to change it."
SHARED_VERSION = "Checklist v{number} is the one clinics shared before each had its own; it is kept for past visits."
NO_CHECKLIST = "{clinic} has no published checklist yet; a clinic admin must publish one before visits are logged."
FAILURES_NEED_CONFIRMATION = "{count} rule test case(s) fail with this draft; confirm to publish anyway."


class TestCasesFail(Exception):
    """Publishing would break rule test cases, and nobody has confirmed that on purpose."""

    def __init__(self, failures):
        super().__init__(FAILURES_NEED_CONFIRMATION.format(count=len(failures)))
        self.failures = failures


def open_clinic(*, name: str, **settings) -> Clinic:
    """A new clinic; it screens with the built-in checklist from its first visit (Clinic.save gives it v1)."""
    return Clinic.objects.create(name=name, **settings)


def current_version(clinic: Clinic) -> ChecklistVersion:
    """The version the clinic's new visits are screened with."""
    version = ChecklistVersion.objects.of_clinic(clinic).current()
    if version is None:
        raise ValidationError(NO_CHECKLIST.format(clinic=clinic))
    return version


@transaction.atomic
def start_draft(*, clinic: Clinic, by) -> ChecklistVersion:
    """Return the clinic's open draft, or a new one holding a copy of its current version's items. Only the
    clinic's admins (and superusers) may, whoever calls."""
    roles.check_checklist(by, clinic)
    Clinic.objects.select_for_update().get(pk=clinic.pk)  # two admins starting a draft at once get the same one
    draft = ChecklistVersion.objects.of_clinic(clinic).draft()
    if draft:
        return draft
    current = current_version(clinic)
    draft = ChecklistVersion.objects.create(clinic=clinic, number=current.number + 1, note=f"Draft started by {by}")
    bulk_create_with_history(
        [
            ChecklistItem(
                version=draft,
                key=item.key,
                section=item.section,
                wording=item.wording,
                help_text=item.help_text,
                order=item.order,
                is_builtin=item.is_builtin,
                retired=item.retired,
                flag_tier=item.flag_tier,
                flag_title=item.flag_title,
                flag_source=item.flag_source,
            )
            for item in current.items.all()
        ],
        ChecklistItem,
        default_user=by,
    )
    return draft


@transaction.atomic
def publish_checklist(*, version: ChecklistVersion, by, confirmation: str = "") -> ChecklistVersion:
    """Publish a draft: new visits are then screened with it. Failing test cases need a written confirmation."""
    version = ChecklistVersion.objects.select_for_update().get(pk=version.pk)
    if version.clinic_id is None:
        raise ValidationError(SHARED_VERSION.format(number=version.number))
    roles.check_checklist(by, version.clinic)
    if not version.is_draft:
        raise ValidationError(NOT_A_DRAFT.format(number=version.number))
    asked = {item.key for item in rule_tests.asked_items(version)}
    missing = sorted(SAFETY_FLOOR - asked)
    if missing:
        raise ValidationError(FLOOR_MISSING.format(keys=", ".join(missing)))
    missing = sorted(SYMPTOM_KEYS - asked)
    if missing:
        raise ValidationError(BUILTIN_MISSING.format(keys=", ".join(missing)))
    failures = [(case, found) for case, found in rule_tests.results(version) if found]
    if failures and not confirmation.strip():
        raise TestCasesFail(failures)
    version.published_at = timezone.now()
    version.published_by = by
    if failures:
        names = ", ".join(case.name for case, _found in failures)
        version.published_despite_failures = f"{confirmation.strip()} (failing: {names})"
    version.save()
    return version
