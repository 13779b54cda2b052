"""Add a patient: saved in the user's clinic; refusals re-render with every value kept."""

import pytest
from django.urls import reverse

from checklists.models import Patient

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db
URL = reverse("checklists:patient-new")

VALID = {
    "mrn": "N100",
    "family_name": "Okoro",
    "given_name": "Femi",
    "date_of_birth": "1958-06-30",
    "sex": "male",
    "primary_cancer": "prostate",
    "primary_cancer_other": "",
    "known_sites": ["pelvis", "spine_lumbar"],
    "bone_agent": "denosumab",
    "baseline_alp": "120",
}


def test_adds_a_patient_to_the_users_clinic(nurse, clinic_a):
    response = login(nurse).post(URL, VALID)
    patient = Patient.objects.get(mrn="N100")
    assert response.status_code == 302
    assert response["Location"] == patient.get_absolute_url()
    assert patient.clinic == clinic_a
    assert patient.known_sites == ["pelvis", "spine_lumbar"]
    assert patient.history.first().history_user == nurse


def test_invalid_form_is_re_rendered_with_values_kept(nurse):
    response = login(nurse).post(URL, VALID | {"date_of_birth": "2999-01-01"})
    assert response.status_code == 200
    assert Patient.objects.count() == 0
    content = response.content.decode()
    assert "The date of birth cannot be in the future." in content
    assert 'value="Okoro"' in content
    assert 'value="N100"' in content
    assert 'value="pelvis" ' in content and "checked" in content


def test_form_page(nurse):
    response = login(nurse).get(URL)
    assert response.status_code == 200
    assert b'for="id_mrn"' in response.content


def test_anonymous_goes_to_login(client):
    assert_login_redirect(client.get(URL), URL)


def test_wrong_method(nurse):
    assert login(nurse).put(URL).status_code == 405


def test_a_login_without_a_clinic_is_refused(homeless):
    assert login(homeless).post(URL, VALID).status_code == 403
    assert Patient.objects.count() == 0
