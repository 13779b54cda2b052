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
