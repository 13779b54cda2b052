"""Review a flag from the worklist or the visit page: who, when, what was done; one review per double submit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.services import reviews as review_form
from tests.conftest import visit_entry

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db


def url(flag):
    return reverse("checklists:flag-review", args=[flag.pk])


@pytest.fixture
def mscc(visit):
    return visit.flags.get(code="MSCC_SUSPECTED")


@pytest.fixture
def symptoms_flag(patient, nurse):
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(nausea=True))
    return visit.flags.get()


def test_review_from_the_worklist_returns_there(doctor, mscc):
    worklist = reverse("checklists:worklist")
    response = login(doctor).post(
        url(mscc), {"action": "mscc_coordinator", "note": "Spoke to coordinator; MRI tonight.", "next": worklist}
    )
    assert response.status_code == 302
    assert response["Location"] == worklist
    mscc.refresh_from_db()
    assert (mscc.status, mscc.reviewed_by, mscc.review_action) == ("reviewed", doctor, "mscc_coordinator")
    assert mscc.review_note == "Spoke to coordinator; MRI tonight."
    assert mscc.reviewed_at is not None
    assert mscc.history.first().history_user == doctor


def test_review_without_next_returns_to_the_visit(doctor, mscc):
    response = login(doctor).post(
        url(mscc), {"action": "admitted", "note": "Admitted via ED", "next": "https://evil.example/"}
    )
    assert response["Location"] == mscc.visit.get_absolute_url()


def test_the_visit_page_shows_the_review(doctor, mscc):
    client = login(doctor)
    client.post(url(mscc), {"action": "admitted", "note": "Admitted via ED"})
    content = client.get(mscc.visit.get_absolute_url()).content.decode()
    assert "Reviewed" in content and "Admitted" in content and "Admitted via ED" in content


def test_a_double_submit_records_one_review(doctor, nurse, mscc):
    client = login(doctor)
    client.post(url(mscc), {"action": "mscc_coordinator", "note": "first"})
    second = login(nurse).post(url(mscc), {"action": "other", "note": "second"}, follow=True)
    mscc.refresh_from_db()
    assert (mscc.review_note, mscc.reviewed_by) == ("first", doctor)
    assert "already reviewed" in second.content.decode()
    assert mscc.history.filter(status="reviewed").count() == 1


def test_emergency_needs_a_note_and_cannot_be_stable(doctor, mscc):
    response = login(doctor).post(url(mscc), {"action": "patient_advised", "note": "  "})
    assert response.status_code == 200
    assert review_form.NOTE_REQUIRED in response.content.decode()
    assert b'name="stable_until"' not in response.content
    mscc.refresh_from_db()
    assert mscc.status == "open"


def test_a_prompt_review_flag_needs_no_note_and_may_be_stable(doctor, symptoms_flag):
    until = timezone.localdate() + datetime.timedelta(days=30)
    login(doctor).post(url(symptoms_flag), {"action": "patient_advised", "note": "", "stable_until": until.isoformat()})
    symptoms_flag.refresh_from_db()
    assert (symptoms_flag.status, symptoms_flag.stable_until) == ("reviewed", until)


@pytest.mark.parametrize(
    ("days", "message"), [(0, review_form.STABLE_NOT_IN_FUTURE), (400, review_form.STABLE_TOO_FAR)]
)
def test_stable_until_must_be_within_the_next_year(doctor, symptoms_flag, days, message):
    until = timezone.localdate() + datetime.timedelta(days=days)
    response = login(doctor).post(
        url(symptoms_flag), {"action": "other", "note": "x", "stable_until": until.isoformat()}
    )
    assert message in response.content.decode()
    assert b"x</textarea>" in response.content


def test_form_page(doctor, mscc):
    response = login(doctor).get(url(mscc), {"next": "/"})
    assert response.status_code == 200
    assert b"Contacted the MSCC coordinator" in response.content
    assert b'name="next" value="/"' in response.content


def test_another_clinics_flag_is_404(outsider, mscc):
    assert login(outsider).get(url(mscc)).status_code == 404
    assert login(outsider).post(url(mscc), {"action": "other", "note": "x"}).status_code == 404
    mscc.refresh_from_db()
    assert mscc.status == "open"


def test_anonymous_goes_to_login(client, mscc):
    assert_login_redirect(client.get(url(mscc)), url(mscc))


def test_wrong_method(doctor, mscc):
    assert login(doctor).delete(url(mscc)).status_code == 405
