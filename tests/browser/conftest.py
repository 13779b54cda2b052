"""Playwright driving Debian's Chromium against Django's live server. In CI a missing browser fails, never skips."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Headless, and no traffic to anything but this machine: clinic networks are closed, and so is CI's.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = "Debian's chromium is not installed: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def seeded(reseeded):
    """A live-server test empties the database afterwards: every browser test starts from the seeded rows."""


def is_csp_violation(text: str) -> bool:
    """Chromium reports every Content-Security-Policy refusal on the console in these words."""
    return "Content Security Policy" in text or "Content-Security-Policy" in text


@pytest.fixture
def page(browser, live_server):
    """A page of a fresh browser context; the test fails if anything on it broke the Content-Security-Policy."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    violations = []
    opened.on(
        "console",
        lambda message: (
            is_csp_violation(message.text) and violations.append(f"{message.location.get('url')}: {message.text[:120]}")
        ),
    )
    yield opened
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def screenshot(request):
    """Save a screenshot named after the test into test-artifacts/screenshots/ (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, step: str, full_page=True):
        page.screenshot(path=SCREENSHOTS / f"{request.node.name}--{step}.png", full_page=full_page)

    return take


def log_in(page, user, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def current_code(device) -> str:
    """The code an authenticator app would show now for this device."""
    from django_otp.oath import totp

    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enter_code(page, device):
    """The second step of signing in: the code page, then on to where the user was going."""
    page.wait_for_url("**/accounts/two-factor/**")
    page.get_by_label("Code").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()


def sign_in_to_the_admin(page, user, password):
    """A clinic admin's sign-in, through the one sign-in page and an authenticator code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    page.goto("/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    enter_code(page, device)
