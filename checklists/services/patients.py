"""Add and edit patients."""

from django.db import transaction

from checklists.models import Patient


@transaction.atomic
def create_patient(*, clinic, **details) -> Patient:
    patient = Patient(clinic=clinic, **details)
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def update_patient(*, patient: Patient, **details) -> Patient:
    for name, value in details.items():
        setattr(patient, name, value)
    patient.full_clean()
    patient.save()
    return patient
