"""Edit a patient's details."""

import pytest
from django.urls import reverse

from tests.conftest import make_patient

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db


def url(patient):
    return reverse("checklists:patient-edit", args=[patient.pk])


def form_data(patient, **overrides):
    data = {
        "mrn": patient.mrn,
        "family_name": patient.family_name,
        "given_name": patient.given_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
        "primary_cancer": patient.primary_cancer,
        "primary_cancer_other": "",
        "known_sites": patient.known_sites,
        "bone_agent": "",
        "baseline_alp": "",
        "lock_version": patient.lock_version,
    }
    return data | overrides


def test_saves_the_changes(nurse, patient):
    response = login(nurse).post(url(patient), form_data(patient, given_name="Joanna", bone_agent="zoledronic_acid"))
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.given_name, patient.bone_agent) == ("Joanna", "zoledronic_acid")


def test_duplicate_mrn_is_refused_with_values_kept(nurse, patient, clinic_a):
    make_patient(clinic_a, mrn="TAKEN")
    response = login(nurse).post(url(patient), form_data(patient, mrn="TAKEN", given_name="Joanna"))
    assert response.status_code == 200
    assert "Another patient of this clinic already has this MRN." in response.content.decode()
    assert b'value="Joanna"' in response.content
    patient.refresh_from_db()
    assert patient.mrn == "A001"


def test_form_page_shows_current_values(nurse, patient):
    response = login(nurse).get(url(patient))
    assert response.status_code == 200
    assert b'value="Smith"' in response.content


def test_another_clinics_patient_is_404(outsider, patient):
    assert login(outsider).get(url(patient)).status_code == 404
    assert login(outsider).post(url(patient), form_data(patient, given_name="X")).status_code == 404


def test_anonymous_goes_to_login(client, patient):
    assert_login_redirect(client.get(url(patient)), url(patient))


def test_wrong_method(nurse, patient):
    assert login(nurse).delete(url(patient)).status_code == 405


def test_unknown_patient_is_404(nurse):
    assert login(nurse).get(reverse("checklists:patient-edit", args=[99999])).status_code == 404
