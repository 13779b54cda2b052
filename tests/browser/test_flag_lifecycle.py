"""Issue 10 in a real browser: an edit that would withdraw an open emergency asks why first, and the withdrawn
flag stays on the visit page and the printout; a calcium that reads as an emergency in both units is confirmed."""

import pytest
from playwright.sync_api import expect

from checklists import services
from checklists.models import Visit
from tests.conftest import PASSWORD, make_patient, visit_entry

from .conftest import log_in
from .test_visit_journey import answer, no_to_everything_else

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Weakness was ticked for the wrong patient; examined, power normal."


def test_an_edit_that_withdraws_an_emergency_asks_why_and_keeps_it_on_record(page, nurse, clinic_a, screenshot):
    patient = make_patient(clinic_a, mrn="EDIT-1")
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    log_in(page, nurse, PASSWORD)
    page.goto(f"/visits/{visit.pk}/edit/")
    answer(page, "New weakness in the legs or arms?", "No")
    page.get_by_role("textbox", name="Notes").fill("Re-examined before leaving.")
    page.get_by_role("button", name="Save as complete").click()

    prompt = page.locator("#withdrawal-prompt")
    expect(prompt).to_contain_text("These flags will be withdrawn — why?")
    expect(prompt).to_contain_text("Suspected spinal cord compression")
    expect(prompt.get_by_label("Reason for the change")).to_be_visible()
    expect(page.get_by_role("textbox", name="Notes")).to_have_value(
        "Re-examined before leaving."
    )  # nothing typed is lost
    screenshot(page, "withdrawal-prompt", full_page=False)
    assert Visit.objects.get(pk=visit.pk).flags.get().status == "open"

    prompt.get_by_label("Reason for the change").fill(REASON)
    page.get_by_role("button", name="Save as complete").click()
    withdrawn = page.locator(".withdrawn-flags")
    expect(withdrawn).to_contain_text("Withdrawn after edit")
    expect(withdrawn).to_contain_text("Suspected spinal cord compression")
    expect(withdrawn).to_contain_text("by Ada Nurse")
    expect(withdrawn).to_contain_text(REASON)
    expect(page.locator(".tier-banner")).to_contain_text("No flags")
    screenshot(page, "visit-page-withdrawn")

    page.get_by_role("link", name="Print summary").click()
    expect(page.locator(".summary-withdrawn")).to_contain_text("Suspected spinal cord compression")
    expect(page.locator(".summary-withdrawn")).to_contain_text(REASON)
    screenshot(page, "printout-withdrawn")


def test_a_calcium_of_5_8_mg_dl_is_confirmed_then_saved_as_an_emergency(page, nurse, clinic_a, screenshot):
    patient = make_patient(clinic_a, mrn="LOW-1", bone_agent="denosumab")
    log_in(page, nurse, PASSWORD)
    page.goto(f"/patients/{patient.pk}/visits/new/")
    no_to_everything_else(page)
    page.locator("#id_calcium_unit").select_option("mg/dL")
    page.get_by_label("Serum calcium").fill("5.8")
    page.locator("#id_albumin_unit").select_option("g/dL")
    page.get_by_label("Albumin").fill("4.0")
    confirm = page.locator("#calcium-confirm")
    expect(confirm).to_be_visible()  # shown as soon as the value is typed, next to the lab
    expect(page.locator("#flag-panel")).to_contain_text("Calcium left out until its unit is confirmed")
    screenshot(page, "soft-stop-live", full_page=False)

    page.get_by_role("button", name="Save as complete").click()
    expect(page.locator("#id_calcium_value").locator("xpath=..")).to_contain_text("Confirm the unit.")
    assert Visit.objects.count() == 0
    box = page.get_by_label("I have checked the unit: this result is right")
    box.check()
    expect(page.locator("#flag-panel")).to_contain_text("CTCAE grade 4 hypocalcaemia")
    # A tick confirms one value and unit: change either and it must be given again.
    page.get_by_label("Serum calcium").fill("5.9")
    expect(page.locator("#flag-panel")).to_contain_text("Calcium left out until its unit is confirmed")
    expect(box).not_to_be_checked()
    box.check()
    expect(page.locator("#flag-panel")).to_contain_text("CTCAE grade 4 hypocalcaemia")
    page.get_by_role("button", name="Save as complete").click()
    expect(page.locator(".tier-banner")).to_contain_text("Emergency")
    expect(page.locator(".flag-card").first).to_contain_text("Low calcium")
    screenshot(page, "soft-stop-saved")
    calcium = Visit.objects.get().lab_results.get(analyte="calcium_total")
    assert calcium.unit_confirmed_by == nurse
