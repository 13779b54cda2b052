"""Two-factor sign-in with django-otp: who must use it, enrolment, codes, backup codes, recovery (issue 8)."""

import base64
import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from checklists.forms.account import WRONG_CODE_AT_SIGN_IN
from checklists.models import User
from checklists.services import two_factor
from tests.conftest import PASSWORD
from tests.views.helpers import login

pytestmark = pytest.mark.django_db
ADMIN_INDEX = reverse("admin:index")
WORKLIST = reverse("checklists:worklist")
SETUP = reverse("checklists:two-factor-setup")
VERIFY = reverse("checklists:two-factor")
START = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)


def code_of(device) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def code_from_page(page) -> str:
    """What an authenticator app shows after scanning the set-up page's key."""
    key = base64.b32decode("".join(page.context["secret_groups"]))
    return f"{totp(key):06d}"


def sign_in(user, next_url=ADMIN_INDEX) -> tuple[Client, object]:
    client = Client()
    response = client.post(f"{reverse('login')}?next={next_url}", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client, client.get(response["Location"])


def test_a_clinic_admin_is_guided_to_set_up_a_second_factor_before_anything_else(clinic_admin):
    client, landing = sign_in(clinic_admin)
    assert landing.status_code == 302 and landing["Location"].startswith(SETUP)
    for url in (WORKLIST, ADMIN_INDEX, reverse("checklists:patient-list")):
        assert client.get(url)["Location"].startswith(SETUP)
    page = client.get(landing["Location"])
    assert "<svg" in page.content.decode() and "Type this key instead" in page.content.decode()


def test_a_superuser_is_guided_to_set_up_a_second_factor_too(db):
    root = User.objects.create_superuser("root", password=PASSWORD)
    client, landing = sign_in(root)
    assert landing.status_code == 302 and landing["Location"].startswith(SETUP)
    assert client.get(ADMIN_INDEX)["Location"].startswith(SETUP)


def test_enrolment_confirms_the_authenticator_and_shows_ten_backup_codes_once(clinic_admin):
    client, landing = sign_in(clinic_admin)
    code = code_from_page(client.get(landing["Location"]))
    wrong = client.post(landing["Location"], {"code": "000000" if code != "000000" else "111111"})
    assert "That code is not right" in wrong.content.decode()
    done = client.post(landing["Location"], {"code": code})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert "shown only once" in done.content.decode()
    assert TOTPDevice.objects.get(user=clinic_admin).confirmed
    assert client.get(ADMIN_INDEX).status_code == 200


def test_the_next_sign_in_asks_for_the_code(clinic_admin):
    device = TOTPDevice.objects.create(user=clinic_admin, name="Phone", confirmed=True)
    with freeze_time(START):
        client, landing = sign_in(clinic_admin)
        assert landing["Location"].startswith(VERIFY)
        assert client.get(ADMIN_INDEX)["Location"].startswith(VERIFY)
        wrong = client.post(landing["Location"], {"code": "12345x"})
        assert "Enter the 6 digits" in wrong.content.decode()
        assert client.post(landing["Location"], {"code": "000001"}).context["form"].errors["code"] == [
            WRONG_CODE_AT_SIGN_IN
        ]
    with freeze_time(START + datetime.timedelta(seconds=60)):  # django-otp slows down after a wrong code
        done = client.post(landing["Location"], {"code": code_of(device)})
        assert done.status_code == 302 and done["Location"] == ADMIN_INDEX
        assert client.get(ADMIN_INDEX).status_code == 200


def test_a_backup_code_signs_in_once(clinic_admin):
    TOTPDevice.objects.create(user=clinic_admin, name="Phone", confirmed=True)
    code = two_factor.new_backup_codes(user=clinic_admin)[0]
    client, landing = sign_in(clinic_admin)
    done = client.post(landing["Location"], {"code": code.upper()}, follow=True)
    assert "backup code; 9 left" in done.content.decode()
    assert client.get(ADMIN_INDEX).status_code == 200
    again, landing = sign_in(clinic_admin)
    assert again.post(landing["Location"], {"code": code}).status_code == 200  # refused: used up
    assert StaticToken.objects.count() == 9


def test_staff_do_not_need_it_unless_they_opt_in(nurse):
    client, landing = sign_in(nurse, WORKLIST)
    assert landing.status_code == 200
    client.post(SETUP, {"code": code_from_page(client.get(SETUP))})
    again, landing = sign_in(nurse, WORKLIST)
    assert landing["Location"].startswith(VERIFY)


def test_a_clinic_can_require_it_of_all_its_staff(nurse, clinic_a, outsider):
    clinic_a.require_two_factor = True
    clinic_a.save()
    _client, landing = sign_in(nurse, WORKLIST)
    assert landing["Location"].startswith(SETUP)
    _client, landing = sign_in(outsider, WORKLIST)
    assert landing.status_code == 200


def test_a_clinic_admin_sets_that_for_their_own_clinic_only(clinic_admin, clinic_a, clinic_b):
    admin = login(clinic_admin)
    data = {"calcium_unit": "mmol/L", "require_two_factor": "on"}
    assert admin.post(reverse("admin:checklists_clinic_change", args=[clinic_a.pk]), data).status_code == 302
    admin.post(reverse("admin:checklists_clinic_change", args=[clinic_b.pk]), data)
    clinic_a.refresh_from_db()
    clinic_b.refresh_from_db()
    assert clinic_a.require_two_factor and not clinic_b.require_two_factor


def test_replacing_the_authenticator_needs_the_current_one_first(clinic_admin):
    TOTPDevice.objects.create(user=clinic_admin, name="Phone", confirmed=True)
    client, _landing = sign_in(clinic_admin)
    assert client.get(SETUP)["Location"].startswith(VERIFY)


def test_another_admin_of_the_clinic_resets_a_lost_phone(clinic_admin, clinic_a):
    from tests.conftest import make_user

    colleague = make_user("admin.two", clinic_a, role="Clinic admin")
    TOTPDevice.objects.create(user=colleague, name="Lost phone", confirmed=True)
    two_factor.new_backup_codes(user=colleague)
    lost, _landing = sign_in(colleague)
    login(clinic_admin).post(
        reverse("admin:checklists_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [colleague.pk]},
    )
    assert not TOTPDevice.objects.filter(user=colleague).exists() and not StaticToken.objects.exists()
    assert lost.get(WORKLIST).status_code == 302
    _client, landing = sign_in(colleague)
    assert landing["Location"].startswith(SETUP)


def test_the_admin_site_itself_refuses_a_session_without_a_second_factor(clinic_admin, rf):
    from django.contrib import admin

    request = rf.get(ADMIN_INDEX)
    request.user = clinic_admin
    clinic_admin.is_verified = lambda: False
    assert admin.site.has_permission(request) is False
    clinic_admin.is_verified = lambda: True
    assert admin.site.has_permission(request) is True


def test_a_demo_admin_sees_the_current_code_while_debug_is_on(clinic_admin, settings):
    settings.DEBUG = True
    clinic_admin.is_demo = True
    clinic_admin.save()
    device = TOTPDevice.objects.create(user=clinic_admin, name="Demo authenticator", confirmed=True)
    client, landing = sign_in(clinic_admin)
    page = client.get(landing["Location"]).content.decode()
    assert f'the code now is <strong class="font-monospace">{code_of(device)}</strong>' in page
    settings.DEBUG = False
    clinic_admin.is_demo = False
    clinic_admin.save()
    client, landing = sign_in(clinic_admin)
    assert "the code now is" not in client.get(landing["Location"]).content.decode()


def test_a_password_thief_cannot_learn_the_secret_the_real_user_will_confirm(nurse):
    """Found in review: the pending authenticator was one row, shown to whoever opened the set-up page first."""
    thief, _landing = sign_in(nurse, WORKLIST)
    stolen = thief.get(SETUP).context["secret_groups"]
    owner, _landing = sign_in(nurse, WORKLIST)
    shown = owner.get(SETUP).context["secret_groups"]
    assert shown != stolen
    assert not TOTPDevice.objects.filter(user=nurse).exists()  # nothing is stored until a code confirms it


def test_entering_the_second_factor_gives_the_session_a_new_key(clinic_admin):
    """Found in review: a session planted before the code must not become a verified one."""
    device = TOTPDevice.objects.create(user=clinic_admin, name="Phone", confirmed=True)
    client, landing = sign_in(clinic_admin)
    before = client.cookies["sessionid"].value
    client.post(landing["Location"], {"code": code_of(device)})
    assert client.cookies["sessionid"].value != before
    planted = Client()
    planted.cookies["sessionid"] = before
    assert planted.get(ADMIN_INDEX).status_code == 302
