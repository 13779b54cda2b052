"""Issue 9 §5 in a real browser: the error pages in the app's look, screenshotted at 1280 and 390 px."""

import pytest
from django.template import loader
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import PASSWORD

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, screenshot, name):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 700})
        screenshot(page, f"{name}-{width}")


def test_the_403_for_an_account_without_a_clinic_and_the_404(page, homeless, nurse, screenshot):
    log_in(page, homeless, PASSWORD)
    page.goto(reverse("checklists:worklist"))
    expect(page.get_by_text("Your account is not a member of any clinic yet")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    both_widths(page, screenshot, "403")
    page.goto("/no-such-page/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    both_widths(page, screenshot, "404")


def test_the_500_page_with_its_incident_id(page, live_server, screenshot):
    """The 500 page as the handler renders it (no request context), shown from the live server's origin."""
    html = loader.render_to_string("500.html", {"incident": "a1b2c3d4e5f6"})
    page.goto("/accounts/login/")  # the live server's origin, so the page's own stylesheets load
    page.set_content(html.replace('="/static/', f'="{live_server.url}/static/'))
    expect(page.get_by_text("a1b2c3d4e5f6")).to_be_visible()
    both_widths(page, screenshot, "500")
