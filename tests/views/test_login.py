"""Login and logout: deny by default; after login the worklist is the home page."""

import pytest
from django.urls import reverse

from .helpers import assert_login_redirect

pytestmark = pytest.mark.django_db

HOME = reverse("checklists:worklist")
LOGIN = reverse("login")


def test_anonymous_is_sent_to_login(client):
    assert_login_redirect(client.get(HOME), HOME)


def test_admin_is_behind_login_too(client):
    assert client.get("/admin/").status_code == 302


def test_static_files_need_no_login(settings):
    """whitenoise serves them before any login check (here from the finders, as no collectstatic ran)."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    from django.test import Client

    response = Client().get("/static/css/app.css")
    assert response.status_code == 200
    assert b"bonemets" in b"".join(response.streaming_content)


def test_login_page_renders_with_labels(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'for="id_username"' in response.content
    assert b"/static/vendor/bootstrap/bootstrap.min.css" in response.content


def test_login_lands_on_the_worklist(client, nurse):
    response = client.post(LOGIN, {"username": "nurse.ada", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert b"Worklist: open flags" in client.get(HOME).content


def test_wrong_password_is_refused_with_a_message(client, nurse):
    response = client.post(LOGIN, {"username": "nurse.ada", "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert b'value="nurse.ada"' in response.content


def test_logout_is_a_post(client, nurse):
    client.force_login(nurse)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(HOME).status_code == 302
