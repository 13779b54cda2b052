"""Journeys 2 and 5 in a real browser: review a flag from the worklist; print the visit summary to PDF."""

import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from checklists import services
from checklists.entries import ImagingEntry, VisitEntry
from tests.conftest import HIGH_MIRELS, PASSWORD, TODAY, UNSTABLE_SINS, all_no, lab, make_patient, visit_entry

from .conftest import SCREENSHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_from_the_worklist(page, nurse, doctor, clinic_a, screenshot):
    patient = make_patient(clinic_a, mrn="WL-1", family_name="Novak")
    services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True, nausea=True))
    log_in(page, doctor, PASSWORD)
    rows = page.locator("tr.worklist-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Suspected spinal cord compression")
    expect(page.locator(".nav-counts")).to_contain_text("Emergency: 1")
    screenshot(page, "worklist")

    rows.first.get_by_role("link", name="Review Suspected spinal cord compression").click()
    page.get_by_label("Contacted the MSCC coordinator").check()
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("Say what was done: a note is required")).to_be_visible()
    page.get_by_label("Note").fill("Coordinator called 14:10; whole-spine MRI tonight.")
    page.get_by_role("button", name="Record review").click()

    expect(page.get_by_text("Review recorded: Suspected spinal cord compression")).to_be_visible()
    expect(page.locator("tr.worklist-row")).to_have_count(1)
    expect(page.locator(".nav-counts")).to_contain_text("Emergency: 0")
    # Under the worklist, the review just recorded and how long it took (issue 12 §5).
    expect(page.locator("tr.reviewed-row")).to_contain_text("Suspected spinal cord compression")
    expect(page.locator("tr.reviewed-row")).to_contain_text("of 1 hour")
    page.locator("table.worklist").get_by_role("link", name="NOVAK, Jo").click()
    page.locator("table a").first.click()
    expect(page.locator(".flag-review")).to_contain_text("Coordinator called 14:10")
    screenshot(page, "visit-page-reviewed")


def print_pdf(page, visit, paper: str, name: str) -> tuple[int, str]:
    page.goto(f"/visits/{visit.pk}/summary/")
    path = SCREENSHOTS / f"{name}-{paper}.pdf"
    page.pdf(path=str(path), format=paper)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(path), str(SCREENSHOTS / f"{name}-{paper}")],
        check=True,
    )
    return pages, text


def long_visit(patient, nurse):
    entry = VisitEntry(
        visit_date=TODAY,
        answers=all_no(
            limb_weakness=True,
            numbness=True,
            spinal_pain_new=True,
            sudden_severe_pain=True,
            unable_to_move_affected_part=True,
            bone_pain_new=True,
            nausea=True,
            vomiting=True,
            extreme_thirst=True,
            confusion=True,
            bruising_or_bleeding=True,
            jaw_symptoms=True,
        ),
        pain_score=9,
        labs=(lab("calcium_total", "13.9", "mg/dL"), lab("albumin", "2.9", "g/dL"), lab("alp", "900", "U/L")),
        imaging=tuple(
            ImagingEntry(m, r, "urgent", "to stage new pain")
            for m, r in (
                ("mri", "whole spine"),
                ("xray", "right humerus"),
                ("ct", "chest, abdomen, pelvis"),
                ("bone_scan", "whole body"),
                ("pet", "whole body"),
            )
        ),
        mirels=HIGH_MIRELS,
        sins=UNSTABLE_SINS,
        notes=("Long history given by the patient and his daughter. " * 25).strip(),
        complete=True,
    )
    return services.record_visit(patient=patient, seen_by=nurse, entry=entry)


def test_print_a_typical_and_a_long_visit(page, nurse, clinic_a):
    patient = make_patient(clinic_a, mrn="PR-1", family_name="Ibrahim", bone_agent="zoledronic_acid")
    typical = services.record_visit(
        patient=patient,
        seen_by=nurse,
        entry=visit_entry(
            labs=[lab("calcium_total", "2.71", "mmol/L"), lab("albumin", "31", "g/L"), lab("alp", "180", "U/L")],
            bone_pain_new=True,
        ),
    )
    log_in(page, nurse, PASSWORD)
    for paper in ("A4", "Letter"):
        pages, text = print_pdf(page, typical, paper, "summary-typical")
        assert pages == 1, (paper, pages)
        for expected in ("IBRAHIM, Jo", "PR-1", "Corrected 2.89 mmol/L", "New bone pain", "Signature:", "Printed"):
            assert expected in text, (paper, expected)
        assert "Log out" not in text and "Worklist" not in text

    # Edited after it was printed: the next printout says it was amended, and what changed last.
    typical.refresh_from_db()
    services.update_visit(
        visit=typical,
        entry=visit_entry(
            labs=[lab("calcium_total", "2.81", "mmol/L"), lab("albumin", "31", "g/L"), lab("alp", "180", "U/L")],
            bone_pain_new=True,
        ),
        lock_version=typical.lock_version,
        by=nurse,
        reason="Calcium re-read from the lab report",
    )
    _pages, text = print_pdf(page, typical, "A4", "summary-amended")
    flat = " ".join(text.split())
    assert "AMENDED after it was first printed" in flat
    assert "Calcium (total) 2.71 → 2.81 mmol/L" in flat and "why: Calcium re-read from the lab report" in flat

    long = long_visit(patient, nurse)
    assert long.flags.count() >= 10
    for paper in ("A4", "Letter"):
        pages, text = print_pdf(page, long, paper, "summary-long")
        assert pages <= 2, (paper, pages)
        assert "EMERGENCY" in text and "Suspected spinal cord compression" in text and "Signature:" in text
        assert "Page 2 of 2" in text
        # Every page names the patient, a loose page 2 included (issue 12 §4).
        for number, sheet in enumerate(text.split("\f")[:pages], start=1):
            assert "IBRAHIM, Jo · MRN PR-1 · born" in sheet, (paper, number)
            assert f"Page {number} of {pages}" in sheet, (paper, number)
    assert Decimal(str(long.evaluation["calcium"]["corrected"]["value"])) == Decimal("14.8")


def test_review_a_whole_visit_in_one_pass_from_the_worklist(page, nurse, doctor, clinic_a, screenshot):
    """Issue 15 §3: leg weakness + back pain + calcium symptoms, three flags, one review."""
    patient = make_patient(clinic_a, mrn="WL-3", family_name="Okonjo")
    entry = visit_entry(limb_weakness=True, spinal_pain_new=True, nausea=True)
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    open_flags = visit.flags.filter(status="open").count()
    log_in(page, doctor, PASSWORD)
    page.locator("tr.worklist-row").first.get_by_role("link", name="Review visit").click()
    expect(page.get_by_role("heading", name="Review the visit of")).to_be_visible()
    expect(page.locator(".review-flag input:checked")).to_have_count(open_flags)
    expect(page.get_by_text("Answered yes")).to_be_visible()
    page.get_by_label("Contacted the MSCC coordinator").check()
    page.get_by_label("Note").fill("MSCC coordinator called; MRI tonight; calcium repeated.")
    screenshot(page, "one-pass-review")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text(f"Review recorded for {open_flags} flags")).to_be_visible()
    expect(page.locator("tr.worklist-row")).to_have_count(0)
    page.goto(visit.get_absolute_url())
    expect(page.locator(".reviewed-banner")).to_contain_text("Emergency reviewed by")


def test_the_worklist_on_a_phone_is_cards_with_no_sideways_scroll(
    browser, live_server, nurse, doctor, clinic_a, screenshot
):
    """Issue 15 §6: at 390 px each open flag is a card (tier, patient, flag, waited, Review)."""
    patient = make_patient(clinic_a, mrn="WL-4", family_name="Phone")
    services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True, nausea=True))
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    phone = context.new_page()
    log_in(phone, doctor, PASSWORD)
    card = phone.locator("tr.worklist-row").first
    expect(card).to_contain_text("Emergency")
    expect(card).to_contain_text("Suspected spinal cord compression")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert card.bounding_box()["width"] <= 390
    review = card.get_by_role("link", name="Review Suspected spinal cord compression").bounding_box()
    assert review["height"] >= 44 and review["width"] >= 44  # a thumb's target
    screenshot(phone, "phone-worklist", full_page=False)
    context.close()
