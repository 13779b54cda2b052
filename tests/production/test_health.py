"""Issue 14 §2: /healthz for the load balancer: no sign-in, nothing about the app or its data, 503 on failure."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_health_check_answers_ok_without_a_sign_in_a_session_or_a_banner():
    response = Client().get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert response["Content-Type"].startswith("text/plain")
    assert not response.cookies  # no session, no CSRF cookie
    assert "no-store" in response["Cache-Control"]
    assert "Server" not in response and "X-Powered-By" not in response


def test_the_health_check_answers_503_when_the_database_fails_and_says_no_more(caplog):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("host db-7")):
        response = Client().get("/healthz")
    assert (response.status_code, response.content) == (503, b"database unavailable\n")
    assert "health check failed" in caplog.text and "db-7" not in caplog.text


def test_the_health_check_only_answers_get():
    assert Client().post("/healthz").status_code == 405


def test_the_health_check_is_not_redirected_to_https_where_every_page_is(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/accounts/login/").status_code == 301
