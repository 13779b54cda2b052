"""Add a patient: saved in the user's clinic; refusals re-render with every value kept."""

import pytest
from django.urls import reverse

from checklists.models import Patient
from checklists.models.patient import BASELINE_ALP_NEEDS_DATE, BASELINE_DATE_IN_FUTURE, BASELINE_DATE_NEEDS_ALP

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
    "baseline_alp_measured_on": "2026-09-01",
}


def test_adds_a_patient_to_the_users_clinic(nurse, clinic_a):
    response = login(nurse).post(URL, VALID)
    patient = Patient.objects.get(mrn="N100")
    assert response.status_code == 302
    assert response["Location"] == patient.get_absolute_url()
    assert patient.clinic == clinic_a
    assert patient.known_sites == ["spine_lumbar", "pelvis"]  # in the list's order, whatever order was sent
    assert (str(patient.baseline_alp), str(patient.baseline_alp_measured_on)) == ("120.0", "2026-09-01")
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


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"baseline_alp_measured_on": ""}, "baseline_alp_measured_on", BASELINE_ALP_NEEDS_DATE),
        ({"baseline_alp": ""}, "baseline_alp", BASELINE_DATE_NEEDS_ALP),
        ({"baseline_alp_measured_on": "2999-01-01"}, "baseline_alp_measured_on", BASELINE_DATE_IN_FUTURE),
    ],
)
def test_a_baseline_alp_needs_its_date_and_the_message_is_next_to_the_field(nurse, change, field, message):
    response = login(nurse).post(URL, VALID | change)
    assert response.status_code == 200
    assert Patient.objects.count() == 0
    assert response.context["form"].errors[field] == [message]


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
