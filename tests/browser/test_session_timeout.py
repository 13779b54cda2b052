"""Before the idle sign-out the page warns and offers "Stay signed in"; typing in a visit form keeps it alive."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_patient

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def short_sessions(settings):
    """Idle limit 8 seconds, warning 5 seconds before it: the real clock, shrunk."""
    settings.SESSION_IDLE_SECONDS = 8
    settings.SESSION_WARNING_SECONDS = 5


def test_the_warning_offers_to_stay_signed_in_then_says_when_signed_out(page, nurse, short_sessions, screenshot):
    log_in(page, nurse, PASSWORD)
    warning = page.locator("#session-warning")
    expect(warning).to_be_visible(timeout=8_000)
    expect(warning).to_contain_text("You will be signed out in")
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    screenshot(page, "warning-1280", full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "warning-390", full_page=False)
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()

    ended = page.locator("#session-ended")
    expect(ended).to_be_visible(timeout=15_000)
    expect(ended).to_contain_text("You have been signed out")
    expect(page.locator("#main")).to_be_hidden()  # the clinic's data leaves a shared screen
    screenshot(page, "signed-out-390", full_page=False)
    page.get_by_role("link", name="Sign in again").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_typing_in_a_visit_form_keeps_the_session_alive(page, nurse, clinic_a, short_sessions):
    patient = make_patient(clinic_a, mrn="TYPE-1")
    log_in(page, nurse, PASSWORD)
    page.goto(f"/patients/{patient.pk}/visits/new/")
    notes = page.get_by_role("textbox", name="Notes")
    for word in ("Patient", "reports", "less", "pain", "today", "than", "last", "week"):
        notes.press_sequentially(f"{word} ", delay=250)  # about 12 seconds of typing, more than the idle limit
    expect(page.locator("#session-ended")).to_be_hidden()
    assert page.evaluate("fetch('/accounts/session/').then(r => r.json())")["signed_in"] is True
