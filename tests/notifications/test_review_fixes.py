"""Issue 15, after a fresh-eyes review: a flag reopened is told and escalated afresh (no crash); a message whose
task was lost is queued again and shows on the banner; a failure shows until that contact is reached again; one
message's error never stops the others."""

import datetime

import pytest
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from checklists import selectors, services, tasks
from checklists.models import Delivery, Notification, Purpose
from checklists.services import notifications
from tests.conftest import visit_entry

from .conftest import FAILING_EMAIL, ON_CALL

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 11, 20, 18, 2, tzinfo=datetime.UTC)


def at(minutes):
    return freeze_time(T0 + datetime.timedelta(minutes=minutes))


def test_an_emergency_withdrawn_then_raised_again_is_told_and_escalated_afresh(canary_patient, nurse):
    with at(0):
        visit = services.record_visit(patient=canary_patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    with at(10):  # entered for the wrong patient: withdrawn, with a reason
        visit = services.update_visit(
            visit=visit,
            entry=visit_entry(),
            lock_version=visit.lock_version,
            by=nurse,
            reason="Wrong patient",
            withdraw={"MSCC_SUSPECTED"},
        )
    with at(20):  # it was right after all
        visit = services.update_visit(
            visit=visit,
            entry=visit_entry(limb_weakness=True),
            lock_version=visit.lock_version,
            by=nurse,
            reason="It was this patient after all",
        )
    flag = visit.flags.get(code="MSCC_SUSPECTED")
    told = Notification.objects.filter(flag=flag, purpose=Purpose.RAISED)
    assert told.count() == 2 * len(ON_CALL)  # each raising told once to each contact
    assert set(told.values_list("flag_raised_at", flat=True)) == {T0, T0 + datetime.timedelta(minutes=20)}
    with at(81):
        assert notifications.escalate_overdue() == 1
    with at(200):  # escalated once for this raising, however often the timer runs
        assert notifications.escalate_overdue() == 0


def test_a_message_whose_task_was_lost_is_queued_again_and_shows_on_the_banner(canary_patient, nurse):
    with at(0):
        services.record_visit(patient=canary_patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    DBTaskResult.objects.all().delete()  # the worker died with the task
    with at(4):
        assert notifications.requeue_stuck() == 0
        assert selectors.notifications_failing_since() is None
    with at(6):
        assert selectors.notifications_failing_since() == T0  # not sent after 5 minutes: a stopped worker?
        assert notifications.requeue_stuck() == len(ON_CALL)
    (queued,) = DBTaskResult.objects.all()
    assert sorted(queued.args_kwargs["args"][0]) == sorted(Notification.objects.values_list("pk", flat=True))


def test_a_failing_contact_keeps_the_banner_up_though_another_is_reached(canary_patient, nurse, settings):
    with at(0):
        services.record_visit(patient=canary_patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    failing, working = Notification.objects.order_by("pk")
    settings.EMAIL_BACKEND = FAILING_EMAIL
    with at(1):
        notifications.deliver(failing.pk)
    with at(2):
        notifications.deliver(failing.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with at(3):
        assert notifications.deliver(working.pk).status == Delivery.SENT  # another contact reached
        assert selectors.notifications_failing_since() == T0 + datetime.timedelta(minutes=1)
    with at(4):
        notifications.deliver(failing.pk)  # that contact reached at last
        assert selectors.notifications_failing_since() is None


def test_one_messages_error_never_stops_the_others(canary_patient, nurse, monkeypatch):
    services.record_visit(patient=canary_patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    first, second = Notification.objects.order_by("pk")
    real = notifications.deliver

    def broken(pk):
        if pk == first.pk:
            raise RuntimeError("the database went away")
        return real(pk)

    monkeypatch.setattr(notifications, "deliver", broken)
    assert tasks.send_notifications.call([first.pk, second.pk]) == ["error", Delivery.SENT]
    second.refresh_from_db()
    assert second.status == Delivery.SENT


def test_one_flags_error_never_stops_the_escalation_of_the_others(told_clinic, nurse, monkeypatch):
    """A bulk load queues one escalation check for a clinic's flags of many visits: one that fails is logged and
    the others are still escalated."""
    from checklists.services.visits import record_visits
    from tests.conftest import make_patient

    first, second = (make_patient(told_clinic, mrn=f"E{number}") for number in (1, 2))
    raised_at = datetime.datetime(2026, 11, 20, 18, 2, tzinfo=datetime.UTC)
    with freeze_time(raised_at):
        record_visits(
            [(first, visit_entry(limb_weakness=True)), (second, visit_entry(limb_weakness=True))], seen_by=nurse
        )
    [check] = DBTaskResult.objects.filter(task_path="checklists.tasks.escalate_flags")
    waiting = check.args_kwargs["args"][0]
    assert len(waiting) >= 2
    real = notifications.escalate

    def broken(flag_id, tier, raised):
        if flag_id == waiting[0][0]:
            raise RuntimeError("the database went away")
        return real(flag_id, tier, raised)

    monkeypatch.setattr(notifications, "escalate", broken)
    with freeze_time(raised_at + datetime.timedelta(hours=2)):
        assert tasks.escalate_flags.call(waiting) == len(waiting) - 1
    assert Notification.objects.filter(purpose=Purpose.ESCALATED).values("flag").distinct().count() == len(waiting) - 1
