"""A clinic admin's first sign-in: guided set-up of an authenticator app, backup codes, then the admin (issue 8)."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import CHROMIUM_ARGS  # noqa: F401 - documents where the browser comes from

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from_key(base32_key: str, offset_steps: int = 0) -> str:
    key = base64.b32decode(base32_key.replace(" ", ""))
    import time

    return f"{totp(key, t0=-offset_steps * 30, now=int(time.time())):06d}" if offset_steps else f"{totp(key):06d}"


def sign_in(page, user):
    page.goto("/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_first_sign_in_sets_up_two_factor_then_the_code_is_asked_each_time(page, clinic_admin, screenshot):
    sign_in(page, clinic_admin)
    page.wait_for_url("**/accounts/two-factor/setup/**")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.locator(".qr-code svg")).to_be_visible()
    screenshot(page, "setup-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "setup-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    key = page.locator(".secret-key").inner_text()
    page.get_by_label("Code").fill("000000" if code_from_key(key) != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    screenshot(page, "setup-wrong-code")

    page.get_by_label("Code").fill(code_from_key(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    codes = page.locator(".backup-codes li").all_inner_texts()
    assert len(codes) == 10

    screenshot(page, "backup-codes-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "backup-codes-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="I have kept them").click()

    expect(page.get_by_role("heading", name="Checklist, reference ranges, sources")).to_be_visible()
    screenshot(page, "admin-after-setup", full_page=False)

    # Signed out (a new browser context), the next sign-in asks for a code: here a backup code.
    page.context.clear_cookies()
    sign_in(page, clinic_admin)
    page.wait_for_url("**/accounts/two-factor/?**")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    screenshot(page, "verify-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "verify-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You signed in with a backup code; 9 left.")).to_be_visible()
    expect(page.get_by_role("heading", name="Checklist, reference ranges, sources")).to_be_visible()
