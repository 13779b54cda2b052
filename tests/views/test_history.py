"""Issue 12 §4: a clinical history anyone in the clinic can read, in clinic words, from the visit, flag and
patient pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from checklists import services
from checklists.entries import ImagingEntry, VisitEntry
from tests.conftest import TODAY, all_no, lab

from .helpers import login

pytestmark = pytest.mark.django_db
ALBUMIN = lab("albumin", "40", "g/L")


def edit(visit, by, reason="", **yes_and_labs):
    visit.refresh_from_db()
    labs = yes_and_labs.pop("labs", ())
    return services.update_visit(
        visit=visit,
        entry=VisitEntry(visit_date=visit.visit_date, answers=all_no(**yes_and_labs), complete=True, labs=labs),
        lock_version=visit.lock_version,
        by=by,
        reason=reason,
    )


@pytest.fixture
def lived(patient, nurse, doctor):
    """A visit with a life: recorded, a flag reviewed, an answer and a calcium changed, a flag withdrawn."""
    entry = VisitEntry(
        visit_date=TODAY,
        answers=all_no(nausea=True),
        complete=True,
        labs=(lab("calcium_total", "2.40", "mmol/L"), ALBUMIN),
    )
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    nausea = visit.flags.get()
    services.review_flag(flag=nausea, by=doctor, action="patient_advised", note="")
    visit = edit(
        visit,
        doctor,
        "Leg weakness was missed at the first entry",
        nausea=True,
        limb_weakness=True,
        labs=(lab("calcium_total", "2.45", "mmol/L"), ALBUMIN),
    )
    visit = edit(
        visit,
        doctor,
        "Nausea was another patient's",
        limb_weakness=True,
        labs=(lab("calcium_total", "2.45", "mmol/L"), ALBUMIN),
    )
    return visit, nausea


def changes_on(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [
        (change.who.username if change.who else None, change.lines(), change.why)
        for change in response.context["changes"]
    ]


def test_the_visit_history_says_who_changed_what_and_why_in_clinic_words(lived, nurse, doctor):
    visit, _nausea = lived
    changes = changes_on(login(nurse), reverse("checklists:visit-history", args=[visit.pk]))
    recorded, reviewed, first_edit, second_edit = changes
    assert recorded[0] == nurse.username
    assert recorded[1][:2] == [f"Visit recorded (complete), seen on {TODAY:%-d %b %Y}", "“Nausea?”: Yes"]
    assert "Calcium (total) 2.40 mmol/L" in recorded[1]
    assert "Flag raised: Symptoms of high calcium (Prompt review)" in " ".join(recorded[1])
    assert "28 questions answered No" in recorded[1][-1]
    assert reviewed[0] == doctor.username
    assert reviewed[1][0].startswith("Flag reviewed: Symptoms of high calcium (Prompt review) — ")
    assert first_edit == (
        doctor.username,
        [
            "“New weakness in the legs or arms?”: No → Yes",
            "Calcium (total) 2.40 → 2.45 mmol/L",
            "Flag raised: Suspected spinal cord compression (Emergency)",
            "Visit tier Prompt review → Emergency",
        ],
        "Leg weakness was missed at the first entry",
    )
    assert "“Nausea?”: Yes → No" in second_edit[1]
    assert "Flag withdrawn: Symptoms of high calcium (Prompt review)" in second_edit[1]
    assert second_edit[2] == "Nausea was another patient's"
    page = login(nurse).get(reverse("checklists:visit-history", args=[visit.pk])).content.decode()
    assert "Why:</span> Leg weakness was missed at the first entry" in page
    assert "history_type" not in page and "limb_weakness" not in page  # words, not field names


def test_a_flags_history_keeps_only_the_changes_that_touched_it(lived, nurse):
    visit, nausea = lived
    changes = changes_on(login(nurse), reverse("checklists:flag-history", args=[nausea.pk]))
    assert len(changes) == 3  # raised, reviewed, withdrawn (not the edit that raised the cord compression)
    assert "Flag withdrawn: Symptoms of high calcium (Prompt review)" in changes[-1][1]


def test_the_patient_history_has_the_record_and_every_visit(lived, nurse, patient):
    visit, _nausea = lived
    patient.refresh_from_db()
    services.update_patient(
        patient=patient,
        by=nurse,
        lock_version=patient.lock_version,
        baseline_alp=Decimal("300"),
        baseline_alp_measured_on=datetime.date(2026, 1, 5),
    )
    response = login(nurse).get(reverse("checklists:patient-history", args=[patient.pk]))
    changes = response.context["changes"]
    assert changes[0].lines() == ["Patient added"]
    assert any(visit in change.visits for change in changes)
    assert "Baseline ALP none → 300 U/L" in changes[-1].lines()
    assert f"visit of {visit.visit_date:%-d %b %Y}" in response.content.decode()


def test_the_history_is_linked_from_the_visit_flag_and_patient_pages(lived, nurse, patient):
    visit, nausea = lived
    client = login(nurse)
    assert reverse("checklists:visit-history", args=[visit.pk]) in client.get(visit.get_absolute_url()).content.decode()
    assert (
        reverse("checklists:patient-history", args=[patient.pk])
        in client.get(patient.get_absolute_url()).content.decode()
    )
    flag = visit.flags.get(code="MSCC_SUSPECTED")
    assert reverse("checklists:flag-history", args=[flag.pk]) in client.get(visit.get_absolute_url()).content.decode()
    review = client.get(reverse("checklists:flag-review", args=[flag.pk])).content.decode()
    assert reverse("checklists:flag-history", args=[flag.pk]) in review


def test_another_clinics_history_is_404(lived, outsider, patient):
    visit, nausea = lived
    client = login(outsider)
    for url in (
        reverse("checklists:visit-history", args=[visit.pk]),
        reverse("checklists:flag-history", args=[nausea.pk]),
        reverse("checklists:patient-history", args=[patient.pk]),
    ):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("edits", [1, 12])
def test_the_history_page_runs_a_fixed_number_of_queries(patient, nurse, doctor, edits, django_assert_num_queries):
    entry = VisitEntry(
        visit_date=TODAY,
        answers=all_no(nausea=True),
        complete=True,
        labs=(lab("calcium_total", "2.40", "mmol/L"), ALBUMIN),
    )
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    for number in range(edits):
        value = f"2.{30 + number}"
        visit = edit(
            visit, doctor, f"Re-entered ({number})", nausea=True, labs=(lab("calcium_total", value, "mmol/L"), ALBUMIN)
        )
    client = login(nurse)
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("checklists:visit-history", args=[visit.pk]))
    assert len(response.context["changes"]) == 1 + edits


# The same at 1 and at 12 edits: the session and user, the visit and patient, the six history tables (each
# with its people), and the page's own reads.
QUERIES = 12


@pytest.mark.parametrize("visits", [1, 6])
def test_the_patient_history_runs_a_fixed_number_of_queries(patient, nurse, visits, django_assert_num_queries):
    for number in range(visits):
        entry = VisitEntry(
            visit_date=TODAY - datetime.timedelta(days=30 * number), answers=all_no(nausea=True), complete=True
        )
        services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    client = login(nurse)
    with django_assert_num_queries(PATIENT_QUERIES):
        response = client.get(reverse("checklists:patient-history", args=[patient.pk]))
    assert len(response.context["changes"]) == 1 + visits


PATIENT_QUERIES = 14


def test_an_imaging_only_edit_is_in_the_history_and_the_amended_note_names_it(patient, nurse, doctor):
    """Review finding: an edit that only cancelled an MRI left no trace in the history or the printout."""
    mri = ImagingEntry("mri", "whole spine", "emergency", "cord compression?")
    entry = VisitEntry(visit_date=TODAY, answers=all_no(), complete=True, imaging=(mri,))
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    client = login(doctor)
    client.get(reverse("checklists:visit-summary", args=[visit.pk]))  # first printed
    visit.refresh_from_db()
    services.update_visit(
        visit=visit,
        entry=VisitEntry(visit_date=TODAY, answers=all_no(), complete=True, imaging=()),
        lock_version=visit.lock_version,
        by=doctor,
        reason="MRI cancelled",
    )
    changes = changes_on(client, reverse("checklists:visit-history", args=[visit.pk]))
    assert "Imaging ordered: MRI whole spine, emergency (now) (cord compression?)" in changes[0][1]
    assert changes[-1] == (doctor.username, ["Imaging order removed: MRI whole spine"], "MRI cancelled")
    summary = client.get(reverse("checklists:visit-summary", args=[visit.pk])).content.decode()
    assert "Imaging order removed: MRI whole spine" in summary and "MRI cancelled" in summary


def test_a_carried_over_flag_that_opens_again_is_not_called_reopened(patient, nurse, doctor):
    earlier = services.record_visit(
        patient=patient,
        seen_by=nurse,
        entry=VisitEntry(visit_date=TODAY - datetime.timedelta(days=30), answers=all_no(nausea=True), complete=True),
    )
    services.review_flag(
        flag=earlier.flags.get(),
        by=doctor,
        action="patient_advised",
        note="",
        stable_until=TODAY + datetime.timedelta(days=60),
    )
    later = services.record_visit(
        patient=patient, seen_by=nurse, entry=VisitEntry(visit_date=TODAY, answers=all_no(nausea=True), complete=True)
    )
    assert later.flags.get().status == "carried_over"
    earlier.refresh_from_db()
    services.void_visit(visit=earlier, by=doctor, reason="Wrong patient")
    lines = [
        line
        for _who, what, _why in changes_on(login(nurse), reverse("checklists:visit-history", args=[later.pk]))
        for line in what
    ]
    assert any(line.startswith("Flag opened for review: Symptoms of high calcium") for line in lines), lines
    assert not any("reopened" in line for line in lines)
