"""Login throttling with django-axes: lockout, cool-off, the per-account ceiling, identical answers (issue 8)."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from checklists.accounts.lockout import LOCKED_OUT
from tests.conftest import PASSWORD
from tests.views.helpers import login

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def attempt(client, username, password, address="10.1.1.1", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def fail(client, username, times, address="10.1.1.1", **headers):
    for _ in range(times):
        assert attempt(client, username, "not-the-password", address, **headers).status_code in (200, 429)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("checklists:worklist")


def test_five_failures_lock_that_username_from_that_address_even_with_the_right_password(nurse):
    client = Client()
    fail(client, nurse.username, 4)
    fifth = attempt(client, nurse.username, "still-wrong")
    assert fifth.status_code == 429 and LOCKED_OUT in fifth.content.decode()
    refused = attempt(client, nurse.username, PASSWORD)
    assert refused.status_code == 429
    assert LOCKED_OUT in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(nurse):
    client = Client()
    fail(client, nurse.username, 4)
    assert signed_in(attempt(client, nurse.username, PASSWORD))


def test_another_address_is_not_locked_out(nurse):
    fail(Client(), nurse.username, 5, address="10.1.1.1")
    assert signed_in(attempt(Client(), nurse.username, PASSWORD, address="10.2.2.2"))


def test_the_lockout_lasts_fifteen_minutes_from_the_fifth_failure(nurse):
    with freeze_time(START) as clock:
        fail(Client(), nurse.username, 5)
        clock.tick(datetime.timedelta(minutes=14, seconds=50))
        assert attempt(Client(), nurse.username, PASSWORD).status_code == 429
        clock.tick(datetime.timedelta(seconds=20))
        assert signed_in(attempt(Client(), nurse.username, PASSWORD))


def test_a_distributed_guess_stops_at_100_failures_an_hour_per_account(nurse, settings):
    with freeze_time(START) as clock:
        for address in range(25):  # 25 addresses × 4 failures: no address is ever locked on its own
            fail(Client(), nurse.username, 4, address=f"10.9.0.{address}")
        fresh = attempt(Client(), nurse.username, PASSWORD, address="10.9.1.1")
        assert fresh.status_code == 429 and LOCKED_OUT in fresh.content.decode()
        clock.tick(datetime.timedelta(minutes=61))
        assert signed_in(attempt(Client(), nurse.username, PASSWORD, address="10.9.1.1"))
    assert settings.AXES_ACCOUNT_FAILURES_PER_HOUR == 100


def without_csrf_token(html: bytes) -> bytes:
    """The page, with the per-response CSRF token (masked anew on every render) blanked out."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b'name="csrfmiddlewaretoken" value=""', html)


def test_unknown_user_and_wrong_password_get_byte_identical_answers(nurse):
    wrong_password = attempt(Client(), "nurse.ada", "not-the-password", address="10.3.3.3")
    nurse.delete()
    unknown_user = attempt(Client(), "nurse.ada", "not-the-password", address="10.4.4.4")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert without_csrf_token(wrong_password.content) == without_csrf_token(unknown_user.content)


def test_locked_out_answers_are_identical_for_unknown_and_real_accounts(nurse):
    fail(Client(), nurse.username, 5, address="10.5.5.5")
    fail(Client(), "nobody.here", 5, address="10.5.5.5")
    real = attempt(Client(), nurse.username, PASSWORD, address="10.5.5.5")
    unknown = attempt(Client(), "nobody.here", PASSWORD, address="10.5.5.5")
    assert real.status_code == unknown.status_code == 429
    assert without_csrf_token(real.content) == without_csrf_token(unknown.content)


def test_the_admin_has_no_login_of_its_own_to_guess_at(nurse):
    response = Client().post(reverse("admin:login"), {"username": nurse.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not AccessAttempt.objects.exists()  # nothing was even checked there


def test_a_forwarded_for_header_is_ignored_without_a_trusted_proxy(nurse):
    """Otherwise an attacker would write a new address into each request and never be locked out."""
    client = Client()
    for number in range(5):
        attempt(client, nurse.username, "wrong", address="10.6.6.6", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert attempt(client, nurse.username, PASSWORD, address="10.6.6.6").status_code == 429


def test_behind_a_trusted_proxy_the_address_it_saw_is_used(nurse, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.7.7.7"
    # The client may write anything on the left; the proxy appends the address it really saw.
    fail(Client(), nurse.username, 5, address=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")
    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"
    other = attempt(Client(), nurse.username, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert signed_in(other)


def test_clinic_admins_see_and_clear_their_own_staffs_lockouts(clinic_admin, nurse, outsider):
    fail(Client(), nurse.username, 5)
    fail(Client(), outsider.username, 5)
    admin = login(clinic_admin)
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert [row.username for row in listing.context["cl"].queryset] == [nurse.username]
    cleared = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "clear_lockouts", "_selected_action": [a.pk for a in AccessAttempt.objects.all()]},
    )
    assert cleared.status_code == 302
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [outsider.username]
    assert signed_in(attempt(Client(), nurse.username, PASSWORD))
    assert attempt(Client(), outsider.username, PASSWORD).status_code == 429


def test_clearing_a_lockout_also_clears_the_per_account_ceiling(clinic_admin, nurse):
    """Found in review: "Clear" removed the per-address attempts, not the hourly count behind the ceiling."""
    for address in range(25):
        fail(Client(), nurse.username, 4, address=f"10.8.0.{address}")
    assert attempt(Client(), nurse.username, PASSWORD, address="10.8.1.1").status_code == 429
    login(clinic_admin).post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "clear_lockouts", "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True))},
    )
    assert signed_in(attempt(Client(), nurse.username, PASSWORD, address="10.8.1.1"))
