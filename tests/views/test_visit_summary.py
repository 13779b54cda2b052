"""The printable visit summary: everything the record needs, nothing that does not print."""

import pytest
from django.urls import reverse

from checklists import services
from tests.conftest import lab, visit_entry

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
