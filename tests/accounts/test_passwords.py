"""Passwords: at least 12 characters, validated whoever sets them (issue 8)."""

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from checklists.models import User
from checklists.services.people import save_staff_account, set_password
from tests.views.helpers import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("elevenchars", "at least 12 characters"),
        ("password1234", "too common"),
        ("918273645546372819", "entirely numeric"),
    ],
)
def test_the_service_refuses_a_weak_password(nurse, password, problem):
    with pytest.raises(ValidationError, match=problem):
        set_password(user=nurse, password=password)
    nurse.refresh_from_db()
    assert not nurse.check_password(password)


def test_a_good_password_is_set(nurse):
    set_password(user=nurse, password="twelve chars ok")
    nurse.refresh_from_db()
    assert nurse.check_password("twelve chars ok")


def test_staff_accounts_saved_by_any_caller_are_validated(nurse):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        save_staff_account(user=nurse, clinic=None, role="nurse", password="short")


def test_the_admin_form_refuses_a_weak_password(clinic_admin, nurse):
    url = reverse("admin:checklists_user_change", args=[nurse.pk])
    data = {"username": nurse.username, "role": "nurse", "is_active": "on", "password": "short-pw"}
    response = login(clinic_admin).post(url, data)
    assert "at least 12 characters" in response.content.decode()


def test_making_an_account_validates_its_password(db):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        User.objects.create_user("someone", password="short")
    assert not User.objects.filter(username="someone").exists()


def test_createsuperuser_refuses_a_weak_password(monkeypatch):
    monkeypatch.setitem(os.environ, "DJANGO_SUPERUSER_PASSWORD", "admin123")
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("createsuperuser", "--noinput", username="root", email="root@example.com", stdout=io.StringIO())
    assert not User.objects.filter(username="root").exists()


def test_createsuperuser_takes_a_strong_one(monkeypatch):
    monkeypatch.setitem(os.environ, "DJANGO_SUPERUSER_PASSWORD", "a long root passphrase 2026")
    call_command("createsuperuser", "--noinput", username="root", email="root@example.com", stdout=io.StringIO())
    assert User.objects.get(username="root").is_superuser


def test_a_password_like_the_new_username_is_refused_by_the_form_not_a_500(clinic_admin, clinic_a):
    """Found in review: the form checked similarity before the username was set; the service then raised."""
    client = login(clinic_admin)
    client.raise_request_exception = False
    data = {
        "username": "jonathan.fairweather",
        "first_name": "Jonathan",
        "last_name": "Fairweather",
        "email": "",
        "clinic": clinic_a.pk,
        "role": "nurse",
        "is_active": "on",
        "password": "jonathan.fairweather1",
    }
    response = client.post(reverse("admin:checklists_user_add"), data)
    assert response.status_code == 200
    assert "too similar to the username" in response.content.decode()
    assert not User.objects.filter(username="jonathan.fairweather").exists()
