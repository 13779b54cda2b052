"""Journey 1 in a real browser: log in, add a patient, log a visit, see its flags before and after saving."""

import re

import pytest
from playwright.sync_api import expect

from checklists.models import Patient, Visit
from tests.conftest import PASSWORD, make_patient

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer(page, question: str, choice: str):
    page.get_by_role("radiogroup", name=question).get_by_text(choice, exact=True).click()


def no_to_everything_else(page):
    for button in page.get_by_role("button", name="No to all in section").all():
        button.click()


def test_leg_weakness_and_high_calcium_show_emergency_live_and_saved(page, nurse, screenshot):
    log_in(page, nurse, PASSWORD)
    page.get_by_role("link", name="Patients").click()
    page.get_by_role("link", name="Add a patient").click()
    page.get_by_label("MRN").fill("BR-2026-01")
    page.get_by_label("Family name").fill("Mensah")
    page.get_by_label("Given name").fill("Efua")
    page.get_by_label("Date of birth").fill("1961-04-09")
    page.get_by_label(re.compile(r"^\s*Primary cancer")).select_option("lung")
    page.get_by_label("Thoracic spine").check()
    page.get_by_role("button", name="Add patient").click()
    expect(page.get_by_role("heading", name="MENSAH, Efua")).to_be_visible()

    page.get_by_role("link", name="Log a visit").click()
    answer(page, "New weakness in the legs or arms?", "Yes")
    panel = page.locator("#flag-panel")
    expect(panel).to_contain_text("Emergency")
    expect(panel).to_contain_text("Suspected spinal cord compression")
    page.get_by_label("Serum calcium").fill("3.2")
    page.get_by_label("Albumin").fill("30")
    expect(panel).to_contain_text("Corrected calcium 3.40 mmol/L \u2014 CTCAE grade 3")
    screenshot(page, "flag-panel", full_page=False)

    no_to_everything_else(page)
    page.get_by_role("button", name="Save as complete").click()
    expect(page.locator(".tier-banner")).to_contain_text("Emergency")
    expect(page.locator(".tier-banner")).to_contain_text("Act now")
    flags = page.locator(".flag-card")
    expect(flags.nth(0)).to_contain_text("Suspected spinal cord compression")
    expect(flags.nth(0)).to_contain_text("New weakness in the legs or arms")
    expect(flags.nth(1)).to_contain_text("High calcium (hypercalcaemia)")
    expect(flags.nth(1)).to_contain_text("Corrected calcium 3.40 mmol/L")
    page.get_by_text("CRUK-2013").first.click()
    expect(page.get_by_text("Symptoms and treatment of secondary bone cancer").first).to_be_visible()
    screenshot(page, "visit-page")
    visit = Visit.objects.get(patient=Patient.objects.get(mrn="BR-2026-01"))
    assert (visit.tier, visit.status) == ("emergency", "complete")


def test_a_visit_with_no_findings_shows_no_flags(page, nurse, clinic_a, screenshot):
    patient = make_patient(clinic_a, mrn="QUIET-1")
    log_in(page, nurse, PASSWORD)
    page.goto(f"/patients/{patient.pk}/visits/new/")
    no_to_everything_else(page)
    expect(page.locator("#flag-panel")).to_contain_text("No findings need review.")
    page.get_by_label("Serum calcium").fill("2.35")
    page.get_by_label("Albumin").fill("41")
    page.get_by_role("button", name="Save as complete").click()
    expect(page.locator(".tier-banner")).to_contain_text("No flags")
    expect(page.get_by_text("No findings need review.")).to_be_visible()
    screenshot(page, "visit-page")


def test_calcium_of_250_mg_dl_is_refused_and_every_answer_kept(page, nurse, clinic_a, screenshot):
    patient = make_patient(clinic_a, mrn="TYPO-1")
    log_in(page, nurse, PASSWORD)
    page.goto(f"/patients/{patient.pk}/visits/new/")
    answer(page, "Nausea?", "Yes")
    answer(page, "New bone pain, or pain at a new site?", "Yes")
    no_to_everything_else(page)
    page.get_by_label("Pain score (0\u201310)").select_option("7")
    page.get_by_label("Serum calcium").fill("250")
    page.locator("#id_calcium_unit").select_option("mg/dL")
    page.get_by_label("Albumin").fill("31")
    page.get_by_role("textbox", name="Notes").fill("Daughter reports poor appetite.")
    page.get_by_role("button", name="Save as complete").click()

    expect(
        page.get_by_text("250 mg/dL is not a plausible calcium (plausible range 4.0\u201325.0 mg/dL).")
    ).to_be_visible()
    expect(page.locator("#id_answer_nausea_0")).to_be_checked()
    expect(page.locator("#id_answer_bone_pain_new_0")).to_be_checked()
    expect(page.locator("#id_answer_limb_weakness_1")).to_be_checked()
    expect(page.get_by_label("Pain score (0\u201310)")).to_have_value("7")
    expect(page.get_by_label("Serum calcium")).to_have_value("250")
    expect(page.locator("#id_calcium_unit")).to_have_value("mg/dL")
    expect(page.get_by_label("Albumin")).to_have_value("31")
    expect(page.get_by_role("textbox", name="Notes")).to_have_value("Daughter reports poor appetite.")
    expect(page).to_have_url(re.compile(r"/visits/new/$"))
    page.get_by_label("Serum calcium").scroll_into_view_if_needed()
    screenshot(page, "refused", full_page=False)
    assert Visit.objects.count() == 0
