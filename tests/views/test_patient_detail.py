"""Patient page: details, visits newest first with tier badges, open flags."""

import datetime

import pytest
from django.urls import reverse

from checklists import services
from tests.conftest import TODAY, visit_entry

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
