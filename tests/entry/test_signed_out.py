"""Issue 11 §1: typed work survives an ended session. A form sent after the session ended comes back, after
signing in, with every answer and nothing saved, to the same person only."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from checklists.models import Patient, ScreenAnswer, Visit
from checklists.unsaved import RESTORED
from tests.conftest import PASSWORD
from tests.views.test_patient_new import VALID as PATIENT
from tests.views.test_visit_new import form_data

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)


def sign_in(client, user, next_url="/"):
    response = client.post(f"{reverse('login')}?next={next_url}", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


def test_a_visit_sent_after_the_session_ended_comes_back_after_signing_in_and_saves_once(nurse, patient):
    url = reverse("checklists:visit-new", args=[patient.pk])
    data = form_data(answer_limb_weakness="yes", calcium_value="2.40", albumin_value="40", notes="Typed at 10:42")
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, nurse)
        client.get(url)
        clock.tick(datetime.timedelta(minutes=31))
        sent = client.post(url, data)
        assert sent.status_code == 302 and sent["Location"].startswith(reverse("login"))
        assert Visit.objects.count() == 0
        back_to = sign_in(client, nurse, next_url=url)
        assert back_to == url
        page = client.get(back_to)
        content = page.content.decode()
        assert RESTORED in content
        assert "Typed at 10:42" in content and 'name="calcium_value" value="2.40"' in content
        assert 'id="id_answer_limb_weakness_0" value="yes" checked' in content
        saved = client.post(url, page.context["form"].data)
        assert saved.status_code == 302
        again = client.post(url, page.context["form"].data)  # and once more, as a double click would
        assert again.status_code == 302
    visit = Visit.objects.get()
    assert visit.notes == "Typed at 10:42" and visit.flags.get().code == "MSCC_SUSPECTED"
    assert ScreenAnswer.objects.filter(visit=visit, answer="yes").count() == 1


def test_the_kept_form_comes_back_once_and_to_nobody_else(nurse, doctor, patient):
    url = reverse("checklists:visit-new", args=[patient.pk])
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, nurse)
        client.get(url)
        clock.tick(datetime.timedelta(minutes=31))
        client.post(url, form_data(notes="The nurse's notes"))
        sign_in(client, doctor, next_url=url)  # someone else at the same workstation
        assert "The nurse's notes" not in client.get(url).content.decode()
        client.post(reverse("logout"))
        sign_in(client, nurse, next_url=url)
        assert "The nurse's notes" not in client.get(url).content.decode()  # gone: shown to no one


def test_after_signing_out_on_purpose_nothing_is_kept(nurse, patient):
    url = reverse("checklists:visit-new", args=[patient.pk])
    client = Client()
    sign_in(client, nurse)
    client.post(reverse("logout"))
    client.post(url, form_data(notes="Typed after signing out"))
    sign_in(client, nurse, next_url=url)
    assert "Typed after signing out" not in client.get(url).content.decode()


def test_a_patient_form_comes_back_too(nurse):
    url = reverse("checklists:patient-new")
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, nurse)
        client.get(url)
        clock.tick(datetime.timedelta(minutes=31))
        client.post(url, PATIENT)
        sign_in(client, nurse, next_url=url)
        page = client.get(url)
        assert RESTORED in page.content.decode() and 'value="Okoro"' in page.content.decode()
    assert Patient.objects.count() == 0


def test_a_session_gone_altogether_still_brings_the_form_back_to_its_typist_only(nurse, doctor, patient, settings):
    """The session cookie expired or the store was cleared: the form's signed "typed by" says whose it is."""
    url = reverse("checklists:visit-new", args=[patient.pk])
    client = Client()
    sign_in(client, nurse)
    page = client.get(url).content.decode()
    typed_by = re.search(r'name="typed_by" value="([^"]+)"', page).group(1)
    client.cookies.pop(settings.SESSION_COOKIE_NAME)
    client.post(url, form_data(notes="Typed before the cookie went", typed_by=typed_by))
    sign_in(client, nurse, next_url=url)
    assert "Typed before the cookie went" in client.get(url).content.decode()

    for typist, signer in [(typed_by, doctor), ("1:forged:signature", nurse)]:
        other = Client()
        other.post(url, form_data(notes="Not theirs", typed_by=typist))
        sign_in(other, signer, next_url=url)
        assert "Not theirs" not in other.get(url).content.decode()
    assert Visit.objects.count() == 0


def test_two_tabs_sent_as_the_session_ended_both_come_back(nurse, patient):
    """Issue 11 review: a visit form and a patient edit, each sent after the session ended."""
    visit_url = reverse("checklists:visit-new", args=[patient.pk])
    patient_url = reverse("checklists:patient-edit", args=[patient.pk])
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, nurse)
        client.get(visit_url)
        clock.tick(datetime.timedelta(minutes=31))
        client.post(visit_url, form_data(notes="Visit tab"))
        client.post(patient_url, PATIENT | {"given_name": "Patient tab", "lock_version": "1"})
        sign_in(client, nurse, next_url=visit_url)
        assert "Visit tab" in client.get(visit_url).content.decode()
        assert "Patient tab" in client.get(patient_url).content.decode()
