"""Add and edit patients."""

from django.db import transaction

from checklists.history import recorded_as
from checklists.models import Patient
from checklists.models.choices import KNOWN_SITE_CHOICES

from .visits import create_once

SITE_ORDER = {site: position for position, (site, _label) in enumerate(KNOWN_SITE_CHOICES)}


def _in_order(details: dict) -> dict:
    """Known sites are a set, kept in the list's order: the same sites in another order are no change."""
    if details.get("known_sites"):
        details["known_sites"] = sorted(
            set(details["known_sites"]), key=lambda site: SITE_ORDER.get(site, len(SITE_ORDER))
        )
    return details


def create_patient(*, clinic, by, submission_id=None, **details) -> Patient:
    """Add a patient; a submission id already used raises AlreadyRecorded with the patient it added."""
    patient = Patient(clinic=clinic, submission_id=submission_id, **_in_order(details))

    def create():
        patient.full_clean()  # after the submission id is known to be new
        with recorded_as(by):
            patient.save()
        return patient

    return create_once(Patient, submission_id, create)


@transaction.atomic
def create_patients(*, clinic, by, patients: list[dict]) -> list[Patient]:
    """Add many patients at once, each checked as `create_patient` checks one (an MRN already in the clinic is
    refused by the database's unique constraint): loading a clinic's list, or the benchmark's (issue 13)."""
    rows = []
    for details in patients:
        patient = Patient(clinic=clinic, **_in_order(dict(details)))
        patient.full_clean(validate_unique=False, validate_constraints=False)
        patient.set_search_keys()
        rows.append(patient)
    Patient.objects.bulk_create(rows)
    Patient.history.bulk_history_create(rows, default_user=by, default_change_reason="")
    return rows


PATIENT_CHANGED = (
    "Someone else saved this patient while you were editing. Nothing of yours was saved yet: what they saved is "
    "shown beside your changes; check them and save again."
)


class PatientChanged(Exception):
    """The patient was saved by someone else since the form was opened (optimistic locking)."""

    def __init__(self, stored: Patient):
        super().__init__(PATIENT_CHANGED)
        self.stored = stored


@transaction.atomic
def update_patient(*, patient: Patient, by, lock_version: int | None, **details) -> Patient:
    """Save the changes to a patient made from the version `lock_version`; a save that changes nothing writes
    nothing. A stale version raises PatientChanged with the patient as now saved."""
    # Compared with the row as stored: a ModelForm has already set the new values on the instance it was given.
    stored = Patient.objects.select_for_update().get(pk=patient.pk)
    if stored.lock_version != lock_version:
        raise PatientChanged(stored)
    changed = False
    for name, value in _in_order(details).items():
        if getattr(stored, name) != value:
            setattr(stored, name, value)
            changed = True
    if not changed:
        return stored
    stored.full_clean()
    stored.lock_version += 1
    with recorded_as(by):
        stored.save()
    return stored
