"""The printable visit summary: everything the record needs, nothing that does not print."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.views.summaries import css_string
from tests.conftest import lab, make_patient, visit_entry

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db


def url(visit):
    return reverse("checklists:visit-summary", args=[visit.pk])


def test_summary_has_every_part(doctor, nurse, patient):
    entry = visit_entry(labs=[lab("calcium_total", "12.1", "mg/dL"), lab("albumin", "3.4", "g/dL")], limb_weakness=True)
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    services.review_flag(
        flag=visit.flags.get(code="MSCC_SUSPECTED"), by=doctor, action="mscc_coordinator", note="MRI booked"
    )
    content = login(doctor).get(url(visit)).content.decode()
    for expected in (
        "Clinic A",
        "SMITH, Jo",
        "A001",
        "14 Mar 1955",
        "Ada Nurse",
        "EMERGENCY",
        "Suspected spinal cord compression",
        "CRUK-2013",
        "Corrected 12.6 mg/dL (3.14 mmol/L \u2014 graded on the mg/dL scale)",
        "CTCAE grade 3 hypercalcaemia",
        "Reviewed: Contacted the MSCC coordinator",
        "MRI booked",
        "Not yet reviewed",
        "Not yet — Contact the MSCC coordinator now",
        "<strong>Yes:</strong> New weakness in the legs",
        "Signature:",
        "Printed",
        "by Bea Doctor",
        'id="print-button"',
        "Cancer Research UK",
    ):
        assert expected in content, expected
    assert "navbar" not in content


def test_another_clinics_visit_is_404(outsider, visit):
    assert login(outsider).get(url(visit)).status_code == 404


def test_anonymous_goes_to_login(client, visit):
    assert_login_redirect(client.get(url(visit)), url(visit))


def test_wrong_method(nurse, visit):
    assert login(nurse).post(url(visit)).status_code == 405


def test_every_printed_page_names_the_patient_through_its_own_stylesheet(nurse, outsider, clinic_a):
    """Issue 12 §4: the page margins carry name, MRN and date of birth; no name can break out of the CSS."""
    patient = make_patient(clinic_a, mrn="Q-1", family_name='O"Brien;} body{display:none', given_name="Ann")
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry())
    style_url = reverse("checklists:visit-summary-page-style", args=[visit.pk])
    assert style_url in login(nurse).get(url(visit)).content.decode()
    response = login(nurse).get(style_url)
    css = response.content.decode()
    assert response["Content-Type"].startswith("text/css") and "no-store" in response["Cache-Control"]
    assert "@top-left" in css and "MRN Q-1" in css and "born 14 Mar 1955" in css
    assert '"' not in css.split('content: "', 1)[1].split('";', 1)[0]  # the quote in the name is escaped
    assert "display:none" not in css and "\\00007b " in css
    assert css_string("José María") == '"Jos\\0000e9  Mar\\0000ed a"'  # the space after é survives
    assert login(outsider).get(style_url).status_code == 404


def test_a_summary_says_amended_only_when_the_visit_changed_after_it_was_first_printed(nurse, visit):
    client = login(nurse)
    first = client.get(url(visit))
    assert first.context["amended"] is None
    assert client.get(url(visit)).context["amended"] is None  # printed again, unchanged
    visit.refresh_from_db()
    services.update_visit(
        visit=visit,
        entry=visit_entry(limb_weakness=True, nausea=True),
        lock_version=visit.lock_version,
        by=nurse,
        reason="Nausea missed",
    )
    again = client.get(url(visit))
    assert again.context["amended"].why == "Nausea missed"
    assert "AMENDED" in again.content.decode() and "“Nausea?”: No → Yes" in again.content.decode()
