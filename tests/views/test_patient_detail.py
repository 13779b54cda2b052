"""Patient page: details, visits newest first with tier badges, open flags."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from checklists import services
from tests.conftest import TODAY, make_patient, visit_entry

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db


def url(patient):
    return reverse("checklists:patient-detail", args=[patient.pk])


def test_shows_visits_newest_first_and_open_flags(nurse, patient, visit):
    older = services.record_visit(
        patient=patient, seen_by=nurse, entry=visit_entry(visit_date=TODAY - datetime.timedelta(days=30))
    )
    response = login(nurse).get(url(patient))
    assert response.status_code == 200
    assert list(response.context["visits"]) == [visit, older]
    assert [flag.code for flag in response.context["open_flags"]] == ["MSCC_SUSPECTED"]
    content = response.content.decode()
    assert "Suspected spinal cord compression" in content
    assert "Emergency" in content and "No flags" in content


def test_another_clinics_patient_is_404(outsider, patient):
    assert login(outsider).get(url(patient)).status_code == 404


def test_anonymous_goes_to_login(client, patient):
    assert_login_redirect(client.get(url(patient)), url(patient))


def test_wrong_method(nurse, patient):
    assert login(nurse).post(url(patient)).status_code == 405


def test_the_patient_page_shows_the_recorded_alp_baseline_with_its_date(nurse, clinic_a):
    """Issue 10 §4: the clinician-recorded baseline is on the patient page, or it says none is recorded."""
    with_baseline = make_patient(
        clinic_a, mrn="B1", baseline_alp=Decimal("400"), baseline_alp_measured_on=datetime.date(2026, 3, 2)
    )
    page = login(nurse).get(with_baseline.get_absolute_url()).content.decode()
    assert "400 U/L, measured 2 Mar 2026" in page
    without = make_patient(clinic_a, mrn="B2")
    page = login(nurse).get(without.get_absolute_url()).content.decode()
    assert "None recorded — ALP is graded against the lab's upper limit" in page
