"""Add and edit patients."""

from django.db import transaction

from checklists.history import recorded_as
from checklists.models import Patient


@transaction.atomic
def create_patient(*, clinic, by, **details) -> Patient:
    patient = Patient(clinic=clinic, **details)
    patient.full_clean()
    with recorded_as(by):
        patient.save()
    return patient


@transaction.atomic
def update_patient(*, patient: Patient, by, **details) -> Patient:
    """Save the changes to a patient; a save that changes nothing writes nothing."""
    # Compared with the row as stored: a ModelForm has already set the new values on the instance it was given.
    stored = Patient.objects.select_for_update().get(pk=patient.pk)
    changed = False
    for name, value in details.items():
        if getattr(stored, name) != value:
            setattr(stored, name, value)
            changed = True
    if not changed:
        return stored
    stored.full_clean()
    with recorded_as(by):
        stored.save()
    return stored
