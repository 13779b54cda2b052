"""Issue 13 §3: recording a visit is a fixed, small number of queries, whatever it holds.

Answers, results, orders, flags and recommendations are written in bulk with their history rows; the reference
ranges, the checklist and the sources are each read once.
"""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checklists import services
from checklists.entries import ImagingEntry
from checklists.models import Flag, ScreenAnswer
from checklists.models.choices import FlagStatus
from tests.conftest import TODAY, lab, visit_entry

pytestmark = pytest.mark.django_db
BUDGET = 25


def typical(visit_date=TODAY, **yes):
    """A follow-up visit as a clinic logs one: every question answered, calcium, albumin and ALP, an MRI ordered,
    and findings that raise flags and recommendations."""
    entry = visit_entry(
        visit_date=visit_date,
        labs=[lab("calcium_total", "2.9", "mmol/L"), lab("albumin", "32", "g/L"), lab("alp", "400", "U/L")],
        **(yes or {"bone_pain_new": True, "spinal_pain_new": True}),
    )
    return dataclasses.replace(entry, imaging=(ImagingEntry("mri", "Whole spine", "urgent", "pain"),))


def recorded_queries(patient, user, entry) -> int:
    with CaptureQueriesContext(connection) as captured:
        visit = services.record_visit(patient=patient, seen_by=user, entry=entry)
    assert visit.flags.exists() and visit.lab_results.count() == 3 and visit.imaging_orders.count() == 1
    return len(captured)


def test_a_typical_visit_is_recorded_within_the_budget(patient, nurse):
    count = recorded_queries(patient, nurse, typical())
    assert count <= BUDGET, count


def test_the_count_does_not_grow_with_what_the_visit_holds(patient, nurse):
    few = recorded_queries(patient, nurse, typical(visit_date=TODAY - datetime.timedelta(days=7)))
    many = recorded_queries(
        patient,
        nurse,
        typical(bone_pain_new=True, spinal_pain_new=True, limb_weakness=True, nausea=True, confusion=True),
    )
    assert many == few, (few, many)


def test_every_row_written_in_bulk_has_its_history_row_naming_the_nurse(patient, nurse):
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=typical())
    answers = ScreenAnswer.history.filter(visit_id=visit.pk)
    assert answers.count() == visit.answers.count() > 10
    assert set(answers.values_list("history_user", "history_type")) == {(nurse.pk, "+")}
    flags = Flag.history.filter(visit_id=visit.pk)
    assert flags.count() == visit.flags.count() and set(flags.values_list("history_user", flat=True)) == {nurse.pk}
    assert set(visit.flags.values_list("status", flat=True)) == {FlagStatus.OPEN}


def bulk_queries(clinic, user, patients: int) -> int:
    """Queries to record, in bulk, a typical emergency visit of each of `patients` new patients (fresh objects, as
    a loader reads them: their clinic not yet read)."""
    from checklists.models import Patient
    from checklists.services.visits import record_visits
    from tests.conftest import make_patient

    created = [make_patient(clinic, mrn=f"B{patients}-{number}") for number in range(patients)]
    fresh = list(Patient.objects.filter(pk__in=[patient.pk for patient in created]))
    with CaptureQueriesContext(connection) as captured:
        record_visits([(patient, typical(limb_weakness=True)) for patient in fresh], seen_by=user)
    return len(captured)


def test_the_bulk_load_s_queries_do_not_grow_with_its_visits_patients_or_emergencies(clinic_a, nurse):
    """One read of the clinics, not one per patient; the on-call messages and escalation checks one per clinic,
    not one per visit."""
    clinic_a.on_call_emails = "oncall@hospital.example"
    clinic_a.save()
    assert bulk_queries(clinic_a, nurse, 3) == bulk_queries(clinic_a, nurse, 12)


def test_the_bulk_load_queues_one_message_per_emergency_one_sending_task_and_one_escalation_check(clinic_a, nurse):
    from django_tasks_db.models import DBTaskResult

    from checklists.models import Notification

    clinic_a.on_call_emails = "oncall@hospital.example"
    clinic_a.save()
    bulk_queries(clinic_a, nurse, 5)
    emergencies = Flag.objects.filter(tier="emergency", status=FlagStatus.OPEN)
    assert emergencies.count() == 5
    assert set(Notification.objects.values_list("flag_id", flat=True)) == set(emergencies.values_list("pk", flat=True))
    assert DBTaskResult.objects.filter(task_path="checklists.tasks.send_notifications").count() == 1
    [check] = DBTaskResult.objects.filter(task_path="checklists.tasks.escalate_flags")
    assert {flag_id for flag_id, _tier, _raised in check.args_kwargs["args"][0]} >= set(
        emergencies.values_list("pk", flat=True)
    )
