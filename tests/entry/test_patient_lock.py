"""Issue 11 §6: two people editing one patient. The second save gets the conflict page: their typed values kept
and the first person's change shown; nothing of the second is saved until they save again."""

import datetime

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import Patient
from checklists.services.patients import PATIENT_CHANGED
from tests.views.helpers import login
from tests.views.test_patient_new import VALID

pytestmark = pytest.mark.django_db


def edit_data(patient, **changes) -> dict:
    return VALID | {"mrn": patient.mrn, "lock_version": patient.lock_version} | changes


def test_the_second_save_gets_the_conflict_page_with_both_changes_visible(nurse, doctor, patient):
    url = reverse("checklists:patient-edit", args=[patient.pk])
    opened = edit_data(patient)  # both open the form at version 1
    assert login(doctor).post(url, opened | {"family_name": "Smith-Jones"}).status_code == 302
    response = login(nurse).post(url, opened | {"bone_agent": "zoledronic_acid"})
    assert response.status_code == 409
    content = response.content.decode()
    assert PATIENT_CHANGED in content
    assert "Saved by Bea Doctor" in content and "Family name: <strong>Smith-Jones</strong>" in content
    assert 'value="zoledronic_acid" selected' in content  # what the nurse typed is kept
    patient.refresh_from_db()
    assert (patient.family_name, patient.bone_agent, patient.lock_version) == ("Smith-Jones", "denosumab", 2)
    # Saving again, now from version 2, goes through and keeps the doctor's change.
    again = login(nurse).post(
        url, opened | {"family_name": "Smith-Jones", "bone_agent": "zoledronic_acid", "lock_version": 2}
    )
    assert again.status_code == 302
    patient.refresh_from_db()
    assert (patient.family_name, patient.bone_agent) == ("Smith-Jones", "zoledronic_acid")


@pytest.mark.parametrize("version", ["", "abc", "3.", "-1", "99999999999999999999"])
def test_a_mangled_version_is_a_stale_one_never_a_500(nurse, patient, version):
    response = login(nurse).post(
        reverse("checklists:patient-edit", args=[patient.pk]), edit_data(patient, lock_version=version)
    )
    assert response.status_code == 409
    assert Patient.objects.get(pk=patient.pk).lock_version == 1


def test_the_service_refuses_a_stale_version_whoever_calls_it(nurse, doctor, patient):
    services.update_patient(patient=patient, by=doctor, lock_version=1, given_name="Joanna")
    with pytest.raises(services.PatientChanged) as refused:
        services.update_patient(patient=patient, by=nurse, lock_version=1, given_name="Joan")
    assert refused.value.stored.given_name == "Joanna"


def test_the_same_sites_in_another_order_are_no_change(nurse, clinic_a):
    """Found on the conflict page: a save that only reordered the known sites was shown as someone's change."""
    from checklists import services

    patient = services.create_patient(
        clinic=clinic_a,
        by=nurse,
        mrn="SITES",
        family_name="Order",
        given_name="Ann",
        date_of_birth=datetime.date(1960, 1, 1),
        primary_cancer="breast",
        known_sites=["femur", "spine_thoracic", "femur"],
    )
    assert patient.known_sites == ["spine_thoracic", "femur"]  # the list's order, once each
    same = services.update_patient(
        patient=patient, by=nurse, lock_version=patient.lock_version, known_sites=["femur", "spine_thoracic"]
    )
    assert same.lock_version == patient.lock_version and patient.history.count() == 1
