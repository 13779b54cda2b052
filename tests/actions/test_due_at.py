"""Issue 13 for the overdue actions of issue 15 §4: an open action carries when it falls due (its visit recorded
plus its time frame), so the worklist finds the overdue ones in an index of the open actions."""

import dataclasses
import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from freezegun import freeze_time

from checklists import selectors, services
from checklists.models import Recommendation
from checklists.rules import recommendations as r
from checklists.rules.follow_through import DUE_HOURS
from tests.conftest import make_user, visit_entry
from tests.views.helpers import login

pytestmark = pytest.mark.django_db
RECORDED = datetime.datetime(2026, 11, 20, 18, 2, tzinfo=datetime.UTC)


def record(patient, nurse, **yes):
    with freeze_time(RECORDED):
        return services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(**yes))


def test_each_action_falls_due_its_time_frame_after_the_visit_was_recorded(patient, nurse):
    visit = record(patient, nurse, limb_weakness=True, new_bone_pain=True)
    actions = list(visit.recommendations.all())
    assert {action.code for action in actions} >= {r.MRI_WHOLE_SPINE_24H}
    for action in actions:
        hours = DUE_HOURS.get(action.due)
        expected = None if hours is None else RECORDED + datetime.timedelta(hours=hours)
        assert action.due_at == expected, action.code
    assert any(action.due_at is not None for action in actions)


def test_an_action_an_edit_adds_falls_due_from_when_the_visit_was_recorded(patient, nurse):
    visit = record(patient, nurse)
    assert not visit.recommendations.exists()
    edited = dataclasses.replace(visit_entry(limb_weakness=True), visit_date=visit.visit_date)
    with freeze_time(RECORDED + datetime.timedelta(hours=5)):
        services.update_visit(visit=visit, entry=edited, lock_version=visit.lock_version, by=nurse)
    mri = visit.recommendations.get(code=r.MRI_WHOLE_SPINE_24H)
    assert mri.due_at == RECORDED + datetime.timedelta(hours=DUE_HOURS[mri.due])


def test_the_worklist_lists_an_action_from_when_it_falls_due_for_a_month(patient, nurse, doctor):
    visit = record(patient, nurse, limb_weakness=True)
    mri = visit.recommendations.get(code=r.MRI_WHOLE_SPINE_24H)

    def listed(at):
        return [row.action.pk for row in selectors.overdue_actions(doctor, at)]

    assert mri.pk not in listed(mri.due_at - datetime.timedelta(minutes=1))
    assert mri.pk in listed(mri.due_at)
    assert mri.pk in listed(mri.due_at + datetime.timedelta(days=29))
    assert mri.pk not in listed(mri.due_at + datetime.timedelta(days=30, minutes=1))
    # what counts is the action's own time, not its visit's
    Recommendation.objects.filter(pk=mri.pk).update(due_at=RECORDED + datetime.timedelta(days=10))
    assert mri.pk not in listed(RECORDED + datetime.timedelta(days=9))


def test_the_migration_fills_the_time_of_every_existing_action(patient, nurse, monkeypatch):
    visit = record(patient, nurse, limb_weakness=True, new_bone_pain=True)
    expected = dict(visit.recommendations.values_list("pk", "due_at"))
    Recommendation.objects.update(due_at=None)
    migration = importlib.import_module("checklists.migrations.0033_fill_recommendation_due_at")
    assert migration.DUE_HOURS == DUE_HOURS
    monkeypatch.setattr(migration, "BATCH", 1)  # batch after batch along the primary key

    migration.fill_due_at(apps, None)

    assert dict(visit.recommendations.values_list("pk", "due_at")) == expected
    assert any(due_at is not None for due_at in expected.values())


def test_an_edit_that_leaves_an_action_alone_neither_moves_its_time_nor_writes_its_history(patient, nurse):
    """Recorded at the real time (not frozen): the visit's created_at is a moment after the `now` the action's time
    ran from; an edit of the notes must not move it, nor write an action history row naming the editor."""
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    mri = visit.recommendations.get(code=r.MRI_WHOLE_SPINE_24H)
    rows_before = mri.history.count()
    edited = dataclasses.replace(visit_entry(limb_weakness=True), visit_date=visit.visit_date, notes="Called back")
    visit.refresh_from_db()
    services.update_visit(visit=visit, entry=edited, lock_version=visit.lock_version, by=nurse)
    assert Recommendation.objects.get(pk=mri.pk).due_at == mri.due_at
    assert mri.history.count() == rows_before


def test_an_action_written_before_its_due_time_was_kept_is_still_listed_when_overdue(patient, nurse, doctor):
    """While migration 0033 runs the release before it goes on writing actions with no due time: the worklist
    finds those from their visit's recording, as it did then."""
    visit = record(patient, nurse, limb_weakness=True)
    mri = visit.recommendations.get(code=r.MRI_WHOLE_SPINE_24H)
    Recommendation.objects.filter(pk=mri.pk).update(due_at=None)
    due = visit.created_at + datetime.timedelta(hours=DUE_HOURS[mri.due])

    def listed(at):
        return {row.action.pk: row.due_at for row in selectors.overdue_actions(doctor, at)}

    assert mri.pk not in listed(due - datetime.timedelta(minutes=1))
    assert listed(due + datetime.timedelta(minutes=1))[mri.pk] == due
    assert mri.pk not in listed(due + datetime.timedelta(days=31))


def test_another_clinics_staff_never_see_an_overdue_action_on_their_worklist(patient, nurse, doctor, outsider):
    """The overdue actions are scoped to the user's clinics, whether they have a due time or (written by the
    release before) not; a superuser, who runs the site, sees every clinic's."""
    visit = record(patient, nurse, limb_weakness=True)
    mri = visit.recommendations.get(code=r.MRI_WHOLE_SPINE_24H)
    later = mri.due_at + datetime.timedelta(hours=1)
    superuser = make_user("site.admin", is_superuser=True)
    for due_at in (mri.due_at, None):
        Recommendation.objects.filter(pk=mri.pk).update(due_at=due_at)
        assert [row.action.pk for row in selectors.overdue_actions(doctor, later)] == [mri.pk]
        assert selectors.overdue_actions(outsider, later) == []
        assert [row.action.pk for row in selectors.overdue_actions(superuser, later)] == [mri.pk]
    with freeze_time(later):
        page = login(outsider).get(reverse("checklists:worklist")).content.decode()
    assert "Action not done" not in page and patient.family_name not in page
