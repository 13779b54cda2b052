"""Issue 15 §6: axe-core (vendored from npm: vendor/axe-core/, never a CDN) finds 0 violations of WCAG 2.2 AA on
every page of the app and of the admin, at 1280 and at 390 px wide. The figures per page are written to
test-artifacts/axe/<test>.txt (a file per test: CI runs each test alone too)."""

import dataclasses
import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from checklists import services
from checklists.entries import ImagingEntry
from checklists.services import notifications
from tests.conftest import PASSWORD, lab, make_patient, visit_entry

from .conftest import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js").read_text()
REPORTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "axe"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (1280, 390)
RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(
    v => `${v.id} (${v.impact}, ${v.nodes.length}): ` + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


def audit(browser, base_url, paths, report: str, sign_in=None) -> dict[str, list[str]]:
    """axe's violations on each page at each width, the pages as the signed-in person sees them; written to the
    `report` file (this run's figures only: an audit that stops part-way leaves no earlier run's file behind)."""
    (REPORTS / f"{report}.txt").unlink(missing_ok=True)
    found = {}
    for width in WIDTHS:
        # bypass_csp: the audit script is injected by the test; the app's own pages never allow inline scripts.
        context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900}, bypass_csp=True)
        page = context.new_page()
        if sign_in:
            sign_in(page)
        for path in paths:
            page.goto(path)
            page.wait_for_load_state()
            page.evaluate(AXE)
            found[f"{width} px {path}"] = page.evaluate(RUN, WCAG_22_AA)
        context.close()
    REPORTS.mkdir(parents=True, exist_ok=True)
    lines = [
        f"{where}: {len(violations)} violations {violations if violations else ''}"
        for where, violations in found.items()
    ]
    (REPORTS / f"{report}.txt").write_text("\n".join(lines) + "\n")
    return found


def signed_in(user, device=None):
    def sign_in(page):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        if device is not None:
            page.wait_for_url("**/accounts/two-factor/**")
            page.get_by_label("Code").fill(current_code(device))
            page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()

    return sign_in


@pytest.fixture
def clinic_day(clinic_a, nurse, doctor):
    """A clinic day with something on every page: an emergency told to on-call, a reviewed flag, an MRI order,
    open actions, a follow-up due."""
    clinic_a.on_call_emails = "oncall@hospital.example"
    clinic_a.escalation_emails = "consultant@hospital.example"
    clinic_a.save()
    patient = make_patient(clinic_a, mrn="AXE-1", family_name="Audit")
    entry = visit_entry(
        limb_weakness=True,
        spinal_pain_new=True,
        nausea=True,
        labs=[lab("calcium_total", "3.2", "mmol/L"), lab("albumin", "40", "g/L"), lab("alp", "300", "U/L")],
    )
    entry = dataclasses.replace(
        entry,
        imaging=(ImagingEntry("mri", "Whole spine", "urgent", "cord compression?"),),
        next_follow_up_due=entry.visit_date + datetime.timedelta(days=5),
    )
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    for message in visit.flags.get(tier="emergency").notifications.all():
        notifications.deliver(message.pk)
    reviewed = visit.flags.filter(tier="prompt_review").first()
    services.review_flag(flag=reviewed, by=doctor, action="seen_in_clinic", note="")
    return patient, visit


def app_pages(patient, visit) -> list[str]:
    flag = visit.flags.filter(status="open").first()
    action = visit.recommendations.first()
    return [
        reverse("checklists:worklist"),
        reverse("checklists:patient-list"),
        reverse("checklists:patient-detail", args=[patient.pk]),
        reverse("checklists:visit-detail", args=[visit.pk]),
        reverse("checklists:visit-review", args=[visit.pk]),
        reverse("checklists:flag-review", args=[flag.pk]),
        reverse("checklists:follow-ups") + "?due=7",
        reverse("checklists:drafts"),
        reverse("checklists:withdrawn-flags"),
        reverse("checklists:review-times"),
        reverse("checklists:visit-summary", args=[visit.pk]),
        reverse("checklists:visit-new", args=[patient.pk]),
        reverse("checklists:visit-edit", args=[visit.pk]),
        reverse("checklists:visit-void", args=[visit.pk]),
        reverse("checklists:visit-re-evaluate", args=[visit.pk]),
        reverse("checklists:visit-history", args=[visit.pk]),
        reverse("checklists:patient-history", args=[patient.pk]),
        reverse("checklists:flag-history", args=[flag.pk]),
        reverse("checklists:patient-new"),
        reverse("checklists:patient-edit", args=[patient.pk]),
        reverse("checklists:action-done", args=[action.pk]),
        reverse("checklists:order-status", args=[visit.imaging_orders.get().pk]),
        reverse("checklists:account"),
        reverse("checklists:sessions"),
        reverse("checklists:password-change"),
    ]


def assert_none(found):
    failing = {where: violations for where, violations in found.items() if violations}
    assert failing == {}, "\n".join(f"{where}: {violations}" for where, violations in failing.items())


def test_every_app_page_passes_axe_at_both_widths(browser, live_server, doctor, clinic_day):
    patient, visit = clinic_day
    assert_none(audit(browser, live_server.url, app_pages(patient, visit), "app", signed_in(doctor)))


def test_the_sign_in_pages_pass_axe_at_both_widths(browser, live_server):
    assert_none(audit(browser, live_server.url, [reverse("login")], "sign-in"))


def test_every_admin_page_passes_axe_at_both_widths(browser, live_server, clinic_admin, clinic_day):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=clinic_admin, name="Phone", confirmed=True)
    names = [
        "checklists_clinic",
        "checklists_notification",
        "checklists_checklistversion",
        "checklists_user",
        "checklists_labreferencerange",
        "checklists_source",
        "checklists_ruletestcase",
        "checklists_securityevent",
        "checklists_historicalclinic",
        "axes_accessattempt",
    ]
    paths = [reverse("admin:index")] + [reverse(f"admin:{name}_changelist") for name in names]
    paths.append(reverse("admin:checklists_clinic_change", args=[clinic_day[1].clinic_id]))
    assert_none(audit(browser, live_server.url, paths, "admin", signed_in(clinic_admin, device)))
