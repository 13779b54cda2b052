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
    assert (row["calcium"], row["albumin"], row["alp"]) == ("3.2 mmol/L", "30 g/L", "300 U/L")
    assert (row["corrected_calcium"], row["corrected_calcium_converted"]) == ("3.4 mmol/L", "13.6 mg/dL")
    assert (row["calcium_ctcae_grade"], row["alp_ctcae_grade"], row["alp_ratio"]) == ("3", "1", "2.041")
    assert row["imaging"] == "mri: whole spine (emergency)"


def test_another_clinic_is_404(outsider, clinic_a):
    assert login(outsider).get(url(clinic_a)).status_code == 404


def test_anonymous_goes_to_login(client, clinic_a):
    assert_login_redirect(client.get(url(clinic_a)), url(clinic_a))


def test_wrong_method(nurse, clinic_a):
    assert login(nurse).post(url(clinic_a)).status_code == 405
