"""Demo accounts (published passwords) can never be used on a server that may hold real data (issue 8)."""

import io

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.urls import reverse

from checklists.checks import demo_accounts
from checklists.forms.account import DEMO_ACCOUNT_REFUSED
from checklists.models import User
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


@pytest.fixture
def demo_nurse(clinic_a):
    return make_user("nurse", clinic_a, is_demo=True)


def test_with_debug_off_a_demo_account_cannot_sign_in_and_is_told_why(client, demo_nurse, settings):
    settings.DEBUG = False
    response = client.post(LOGIN, {"username": "nurse", "password": PASSWORD})
    assert response.status_code == 200
    assert DEMO_ACCOUNT_REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_with_debug_on_the_demo_account_signs_in(client, demo_nurse, settings):
    settings.DEBUG = True
    response = client.post(LOGIN, {"username": "nurse", "password": PASSWORD})
    assert response.status_code == 302


def test_a_demo_session_ends_when_debug_goes_off(client, demo_nurse, settings):
    settings.DEBUG = True
    client.post(LOGIN, {"username": "nurse", "password": PASSWORD})
    assert client.get(reverse("checklists:worklist")).status_code == 200
    settings.DEBUG = False
    assert client.get(reverse("checklists:worklist")).status_code == 302


def test_a_real_account_is_not_affected(client, nurse, settings):
    settings.DEBUG = False
    assert client.post(LOGIN, {"username": nurse.username, "password": PASSWORD}).status_code == 302


def test_the_deploy_check_names_every_demo_account(demo_nurse, clinic_a, settings):
    make_user("admin", clinic_a, is_demo=True)
    settings.DEBUG = False
    [error] = demo_accounts(None)
    assert error.id == "bonemets.E002"
    assert error.msg == "Demo accounts exist in this database: admin, nurse."
    assert error in run_checks(include_deployment_checks=True)


def test_the_deploy_check_is_quiet_without_demo_accounts_or_with_debug_on(demo_nurse, settings):
    settings.DEBUG = True
    assert demo_accounts(None) == []
    settings.DEBUG = False
    User.objects.filter(is_demo=True).delete()
    assert demo_accounts(None) == []


def test_seed_demo_marks_its_accounts(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert set(User.objects.filter(is_demo=True).values_list("username", flat=True)) == {
        "nurse",
        "doctor",
        "admin",
        "nurse.riverside",
        "admin.riverside",
        "superuser",
    }
