"""Follow-ups overdue: each visit sets the next date; patients past it are listed, oldest first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.entries import VisitEntry
from tests.conftest import all_no, make_patient

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db
URL = reverse("checklists:follow-ups")


def visit_due(patient, user, days_from_today, visit_days_ago=100):
    today = timezone.localdate()
    entry = VisitEntry(
        visit_date=today - datetime.timedelta(days=visit_days_ago),
        answers=all_no(),
        next_follow_up_due=today + datetime.timedelta(days=days_from_today),
    )
    return services.record_visit(patient=patient, seen_by=user, entry=entry)


def test_overdue_patients_oldest_first(nurse, clinic_a, patient_b, outsider):
    late = make_patient(clinic_a, mrn="LATE")
    later = make_patient(clinic_a, mrn="LATER")
    on_time = make_patient(clinic_a, mrn="OK")
    visit_due(late, nurse, -3)
    visit_due(later, nurse, -30)
    visit_due(on_time, nurse, 5)
    visit_due(patient_b, outsider, -10)
    response = login(nurse).get(URL)
    assert [patient.mrn for patient, _days in response.context["rows"]] == ["LATER", "LATE"]
    assert "30 days" in response.content.decode()


def test_the_latest_visit_sets_the_date(nurse, patient):
    visit_due(patient, nurse, -5, visit_days_ago=100)
    visit_due(patient, nurse, 60, visit_days_ago=1)
    patient.refresh_from_db()
    assert patient.next_follow_up_due == timezone.localdate() + datetime.timedelta(days=60)
    assert login(nurse).get(URL).context["rows"] == []


def test_anonymous_goes_to_login(client):
    assert_login_redirect(client.get(URL), URL)


def test_wrong_method(nurse):
    assert login(nurse).post(URL).status_code == 405
