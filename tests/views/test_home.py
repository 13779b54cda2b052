"""The home page and login: deny by default, log in, log out."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOME = reverse("checklists:home")
LOGIN = reverse("login")


def test_anonymous_is_sent_to_login(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={HOME}"


def test_admin_is_behind_login_too(client):
    response = client.get("/admin/")
    assert response.status_code == 302


def test_login_page_renders_with_labels(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'for="id_username"' in response.content
    assert b'id="id_username"' in response.content
    assert b"/static/vendor/bootstrap/bootstrap.min.css" in response.content


def test_login_then_home(client, nurse):
    response = client.post(LOGIN, {"username": "nurse.ada", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == HOME
    response = client.get(HOME)
    assert response.status_code == 200
    assert b"Welcome, Ada" in response.content
    assert b'action="/patients/"' in response.content


def test_wrong_password_is_refused_with_a_message(client, nurse):
    response = client.post(LOGIN, {"username": "nurse.ada", "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert b'value="nurse.ada"' in response.content


def test_home_refuses_post(client, nurse):
    client.force_login(nurse)
    assert client.post(HOME).status_code == 405


def test_logout_is_a_post(client, nurse):
    client.force_login(nurse)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(HOME).status_code == 302
