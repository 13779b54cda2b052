"""Follow-ups: each visit sets the next date; patients past it are listed, oldest first; those due in the next 7
or 30 days on a filter (issue 15 §5), each with the tier of their last visit and their open flags."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.entries import VisitEntry
from checklists.rules.tiers import Tier
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
    assert [row.patient.mrn for row in response.context["rows"]] == ["LATER", "LATE"]
    assert "Overdue by 30 days" in response.content.decode()


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


def test_due_in_the_next_7_or_30_days_soonest_first_with_last_tier_and_open_flags(nurse, clinic_a):
    overdue, soon, later, far = (make_patient(clinic_a, mrn=mrn) for mrn in ("OVERDUE", "SOON", "LATER", "FAR"))
    visit_due(overdue, nurse, -1)
    visit_due(soon, nurse, 3)
    visit_due(later, nurse, 20)
    visit_due(far, nurse, 45)
    today = timezone.localdate()
    sick = VisitEntry(
        visit_date=today - datetime.timedelta(days=1),
        answers=all_no(limb_weakness=True),
        next_follow_up_due=today + datetime.timedelta(days=7),
    )
    services.record_visit(patient=later, seen_by=nurse, entry=sick)  # now due in 7 days, with an emergency open
    client = login(nurse)
    week = client.get(URL, {"due": "7"})
    assert [row.patient.mrn for row in week.context["rows"]] == ["SOON", "LATER"]
    soonest, sickest = week.context["rows"]
    assert (soonest.days, soonest.last_tier, soonest.patient.open_flags) == (3, Tier.NONE, 0)
    assert (sickest.days, sickest.last_tier, sickest.patient.open_flags) == (7, Tier.EMERGENCY, 1)
    page = week.content.decode()
    assert "In 3 days" in page and "1 open" in page and 'aria-current="page">Due in the next 7 days' in page
    month = client.get(URL, {"due": "30"})
    assert [row.patient.mrn for row in month.context["rows"]] == ["SOON", "LATER"]
    assert [row.patient.mrn for row in client.get(URL).context["rows"]] == ["OVERDUE"]


@pytest.mark.parametrize("due", ["", "365", "overdue", "<script>", "7.0"])
def test_any_other_window_lists_the_overdue(nurse, clinic_a, due):
    visit_due(make_patient(clinic_a, mrn="OVERDUE"), nurse, -1)
    response = login(nurse).get(URL, {"due": due})
    assert response.status_code == 200
    assert [row.patient.mrn for row in response.context["rows"]] == ["OVERDUE"]


def test_a_fixed_number_of_queries_for_any_number_of_patients(nurse, clinic_a):
    client = login(nurse)
    counts = []
    for batch in range(2):
        for number in range(5 * batch + 1):
            visit_due(make_patient(clinic_a, mrn=f"P{batch}{number}"), nurse, 2)
        with CaptureQueriesContext(connection) as captured:
            client.get(URL, {"due": "7"})
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 12, counts
