"""Journey 4 in a real browser: an admin rewords an item and publishes; past visits keep their wording."""

import subprocess

import pytest
from playwright.sync_api import expect

from checklists import services
from tests.conftest import PASSWORD, make_patient, visit_entry

from .conftest import SCREENSHOTS, sign_in_to_the_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OLD, NEW = "New weakness in the legs or arms?", "Legs or arms weaker than before?"


def test_reword_publish_and_past_visits_keep_their_wording(page, clinic_admin, nurse, clinic_a, screenshot):
    patient = make_patient(clinic_a, mrn="ADM-1", family_name="Okafor")
    old = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))

    sign_in_to_the_admin(page, clinic_admin, PASSWORD)
    page.get_by_role("link", name="Checklist versions").first.click()
    page.get_by_role("button", name="Start a draft").click()
    expect(page.get_by_text("is open for changes")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # the editor fits (issue 12 §6)
    wording = page.locator(f"input[name$='-wording'][value='{OLD}']")
    wording.fill(NEW)
    screenshot(page, "draft-reworded", full_page=False)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(f"input[name$='-wording'][value='{NEW}']")).to_be_visible()
    page.get_by_role("link", name="Preview as the visit form").click()
    expect(page.get_by_text(NEW)).to_be_visible()
    # Answering the draft's question raises its flag beside it, live (issue 12 §1).
    page.locator("fieldset", has_text=NEW).get_by_label("Yes").check()
    expect(page.locator("#flag-panel")).to_contain_text("Suspected spinal cord compression")
    screenshot(page, "draft-preview-live")
    page.go_back()
    page.get_by_role("link", name="Run test cases and publish").click()
    expect(page.locator(".case-fail")).to_have_count(0)
    screenshot(page, "publish")
    page.get_by_role("button", name="Publish Checklist v2").click()
    expect(page.get_by_text("is published: Clinic A's new visits are screened with it")).to_be_visible()

    page.goto(f"/patients/{patient.pk}/visits/new/")
    expect(page.get_by_role("radiogroup", name=NEW)).to_be_visible()
    expect(page.get_by_text(OLD)).to_have_count(0)
    page.goto(f"/visits/{old.pk}/")
    expect(page.get_by_text(OLD)).to_be_visible()
    expect(page.get_by_text(NEW)).to_have_count(0)
    screenshot(page, "old-visit")

    page.goto(f"/visits/{old.pk}/summary/")
    pdf = SCREENSHOTS / "old-visit-after-rewording.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert OLD.replace("?", "") in " ".join(text.split())
    assert NEW.replace("?", "") not in " ".join(text.split())
