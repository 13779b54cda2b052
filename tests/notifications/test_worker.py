"""Issue 15 §1–2 end to end, with the task worker running (`manage.py db_worker`, as deploy/systemd runs it):
flag → outbox → worker → mail in the outbox, then, an hour later, escalation the same way."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from checklists import services
from checklists.models import Delivery, Notification, Purpose
from tests.conftest import visit_entry

from .conftest import ESCALATION, ON_CALL

RAISED = datetime.datetime(2026, 11, 20, 18, 2, tzinfo=datetime.UTC)


def run_worker():
    """The worker, until no task is due (--batch); the same command production runs, in this process, so it
    reads the test database and Django's test mailbox."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.usefixtures("reseeded")
def test_an_emergency_reaches_on_call_through_the_worker_and_escalates_an_hour_later(canary_patient, nurse):
    with freeze_time(RAISED):
        visit = services.record_visit(patient=canary_patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
        assert mail.outbox == []  # the request sent nothing itself
        run_worker()
    flag = visit.flags.get(tier="emergency")
    assert sorted(recipient for message in mail.outbox for recipient in message.to) == sorted(ON_CALL)
    assert all(message.subject == "bonemets: EMERGENCY flag in Clinic A" for message in mail.outbox)
    raised = Notification.objects.filter(flag=flag, purpose=Purpose.RAISED)
    assert set(raised.values_list("status", flat=True)) == {Delivery.SENT}
    assert set(raised.values_list("sent_at", flat=True)) == {RAISED}

    with freeze_time(RAISED + datetime.timedelta(minutes=30)):
        run_worker()  # the escalation check is not due yet
    assert len(mail.outbox) == len(ON_CALL)
    with freeze_time(RAISED + datetime.timedelta(hours=1, seconds=1)):
        run_worker()  # due: the check runs, queues the message, and the worker sends it
    escalation = [message for message in mail.outbox if message.to == ESCALATION]
    assert len(escalation) == 1 and "not reviewed within 1 hour" in escalation[0].subject
    flag.refresh_from_db()
    assert flag.escalated_at == RAISED + datetime.timedelta(hours=1, seconds=1)
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
