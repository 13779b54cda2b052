"""Sessions end after 30 idle minutes and after 12 hours, whatever the activity (issue 8)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from checklists.accounts.middleware import SIGNED_OUT_IDLE, SIGNED_OUT_MAX
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
WORKLIST = reverse("checklists:worklist")
START = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(WORKLIST).status_code == 200


def is_signed_in(client) -> bool:
    return client.get(WORKLIST).status_code == 200


def test_29_idle_minutes_keep_the_session_and_the_request_restarts_the_clock(nurse):
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, nurse)
        clock.tick(datetime.timedelta(minutes=29))
        assert is_signed_in(client)
        clock.tick(datetime.timedelta(minutes=29))  # 58 minutes after sign-in, 29 after the last request
        assert is_signed_in(client)


def test_31_idle_minutes_sign_out_and_the_sign_in_page_says_why(nurse):
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, nurse)
        clock.tick(datetime.timedelta(minutes=31))
        response = client.get(WORKLIST)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        page = client.get(response["Location"])
        assert SIGNED_OUT_IDLE.format(minutes=30) in page.content.decode()


def test_twelve_hours_of_activity_end_the_session(nurse):
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, nurse)
        for _ in range(12 * 3):
            clock.tick(datetime.timedelta(minutes=20))
            assert is_signed_in(client)
        clock.tick(datetime.timedelta(minutes=1))
        response = client.get(WORKLIST)
        assert response.status_code == 302
        assert SIGNED_OUT_MAX.format(hours=12) in client.get(response["Location"]).content.decode()


def test_the_idle_limit_is_a_setting(nurse, settings):
    settings.SESSION_IDLE_SECONDS = 15 * 60  # a shared workstation
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, nurse)
        clock.tick(datetime.timedelta(minutes=16))
        assert not is_signed_in(client)


def test_asking_how_long_is_left_does_not_keep_the_session_alive(nurse):
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, nurse)
        clock.tick(datetime.timedelta(minutes=28))
        status = client.get(reverse("checklists:session-status")).json()
        assert status == {"signed_in": True, "seconds_left": 120}
        clock.tick(datetime.timedelta(minutes=3))
        assert client.get(reverse("checklists:session-status")).json() == {"signed_in": False, "seconds_left": 0}
        assert not is_signed_in(client)


def test_stay_signed_in_restarts_the_clock(nurse):
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, nurse)
        clock.tick(datetime.timedelta(minutes=28, seconds=30))
        kept = client.post(reverse("checklists:keep-alive"))
        assert kept.json() == {"signed_in": True, "seconds_left": 30 * 60}
        clock.tick(datetime.timedelta(minutes=29))
        assert is_signed_in(client)


def test_pages_tell_the_script_how_long_is_left(nurse):
    with freeze_time(START) as clock:
        client = Client()
        sign_in(client, nurse)
        clock.tick(datetime.timedelta(minutes=10))
        html = client.get(reverse("checklists:patient-list")).content.decode()
        assert 'data-session-seconds-left="1800"' in html  # the request itself counted as activity
        assert 'data-session-warning-seconds="120"' in html and "js/session.js" in html


def test_the_session_cookie_ends_with_the_browser(nurse):
    client = Client()
    response = client.post(reverse("login"), {"username": nurse.username, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"] is True
