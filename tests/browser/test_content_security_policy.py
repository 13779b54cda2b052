"""Every page of the app and of the admin works under the Content-Security-Policy (issue 9).

The `page` fixture fails a test on any violation the browser reports; this test walks the pages no journey
test opens, as a clinic admin (the admin) and as a nurse (the app).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from checklists import services
from tests.conftest import PASSWORD, make_patient, visit_entry

from .conftest import log_in, sign_in_to_the_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
)


def test_the_admin_works_under_the_policy(page, clinic_admin, nurse, screenshot):
    sign_in_to_the_admin(page, clinic_admin, PASSWORD)
    expect(page.get_by_role("heading", name="Checklist, reference ranges, sources")).to_be_visible()
    header = page.request.get("/admin/").headers
    assert all(part in header["content-security-policy"] for part in POLICY), header
    changelists = [
        "checklists_checklistversion",
        "checklists_user",
        "checklists_labreferencerange",
        "checklists_source",
        "checklists_clinic",
        "checklists_ruletestcase",
        "checklists_historicaluser",
        "checklists_securityevent",
        "axes_accessattempt",
    ]
    for name in changelists:
        page.goto(reverse(f"admin:{name}_changelist"))
        expect(page.locator("#content")).to_be_visible()
        if name == "checklists_securityevent":
            screenshot(page, "security-events")  # the clinic's event log, looked at (issue 9)
    page.goto(reverse("admin:checklists_user_change", args=[nurse.pk]))
    page.get_by_role("link", name="History").click()
    page.locator("#change-history a").first.click()
    expect(page.get_by_text("The history is an audit trail")).to_be_visible()
    page.goto(reverse("admin:checklists_labreferencerange_add"))
    page.get_by_role("button", name="Save", exact=True).click()  # an invalid form: error styles too
    expect(page.locator(".errornote")).to_be_visible()


def test_the_app_works_under_the_policy(page, nurse, clinic_a, screenshot):
    patient = make_patient(clinic_a, mrn="CSP-1", family_name="Policy")
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    log_in(page, nurse, PASSWORD)
    for url in (
        reverse("checklists:worklist"),
        reverse("checklists:patient-list"),
        reverse("checklists:follow-ups"),
        patient.get_absolute_url(),
        reverse("checklists:patient-edit", args=[patient.pk]),
        visit.get_absolute_url(),
        reverse("checklists:visit-summary", args=[visit.pk]),
        reverse("checklists:visit-re-evaluate", args=[visit.pk]),
        reverse("checklists:visit-void", args=[visit.pk]),
        reverse("checklists:flag-review", args=[visit.flags.get().pk]),
        reverse("checklists:account"),
        reverse("checklists:sessions"),
        reverse("checklists:password-change"),
        reverse("checklists:two-factor-setup"),
        # Issue 12's pages: the histories and the review-time report (its chart is inline SVG).
        reverse("checklists:visit-history", args=[visit.pk]),
        reverse("checklists:flag-history", args=[visit.flags.get().pk]),
        reverse("checklists:patient-history", args=[patient.pk]),
        reverse("checklists:review-times"),
        "/no-such-page/",
    ):
        page.goto(url)
        expect(page.locator("body")).to_be_visible()
    screenshot(page, "404")
    page.goto(reverse("checklists:visit-new", args=[patient.pk]))
    page.get_by_role("radiogroup", name="New weakness in the legs or arms?").get_by_text("Yes").click()
    expect(page.locator("#flag-panel")).to_contain_text("Suspected spinal cord compression")
