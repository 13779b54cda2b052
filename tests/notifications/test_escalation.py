"""Issue 15 §2: a flag not reviewed within its tier's time frame (emergency 1 h, urgent 24 h) is told to the
clinic's escalation contacts, once per tier, and the worklist marks it escalated. Time is moved, not waited."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from checklists import services
from checklists.models import Notification, Purpose
from checklists.models.choices import ReviewAction
from checklists.services import notifications
from tests.conftest import lab, visit_entry
from tests.views.helpers import login

from .conftest import ESCALATION, ON_CALL

pytestmark = pytest.mark.django_db
RAISED = datetime.datetime(2026, 11, 20, 18, 2, tzinfo=datetime.UTC)


def raised(patient, nurse, **yes):
    with freeze_time(RAISED):
        return services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(**yes))


def escalated_after(delay) -> int:
    with freeze_time(RAISED + delay):
        return notifications.escalate_overdue()


def send_all():
    for message in Notification.objects.filter(status="pending"):
        notifications.deliver(message.pk)


def test_an_emergency_waiting_over_an_hour_is_escalated_once(canary_patient, nurse, doctor):
    visit = raised(canary_patient, nurse, limb_weakness=True)
    flag = visit.flags.get(tier="emergency")
    assert escalated_after(datetime.timedelta(minutes=59)) == 0
    assert escalated_after(datetime.timedelta(minutes=61)) == 1
    assert escalated_after(datetime.timedelta(minutes=90)) == 0  # once per tier, however often the timer runs
    told = Notification.objects.get(flag=flag, purpose=Purpose.ESCALATED)
    assert (told.recipient, told.contact, told.tier) == (ESCALATION[0], "escalation", "emergency")
    assert "has not been reviewed within 1 hour" in told.body and "Zzcanary" not in told.body
    flag.refresh_from_db()
    assert flag.escalated_at == RAISED + datetime.timedelta(minutes=61)
    send_all()
    assert [message.to for message in mail.outbox if "not reviewed" in message.subject] == [ESCALATION]
    page = login(doctor).get(reverse("checklists:worklist")).content.decode()
    assert "Escalated" in page


def test_an_urgent_flag_is_escalated_after_24_hours(canary_patient, nurse):
    visit = raised(canary_patient, nurse, spinal_pain_new=True)
    urgent = visit.flags.get(tier="urgent")
    assert escalated_after(datetime.timedelta(hours=23, minutes=59)) == 0
    assert escalated_after(datetime.timedelta(hours=24, minutes=1)) == 1
    assert Notification.objects.filter(flag=urgent, purpose=Purpose.ESCALATED).count() == len(ESCALATION)


def test_a_flag_reviewed_in_time_is_never_escalated(canary_patient, nurse, doctor):
    visit = raised(canary_patient, nurse, limb_weakness=True)
    flag = visit.flags.get(tier="emergency")
    with freeze_time(RAISED + datetime.timedelta(minutes=30)):
        services.review_flag(flag=flag, by=doctor, action=ReviewAction.MSCC_COORDINATOR, note="MRI booked today")
    assert escalated_after(datetime.timedelta(hours=2)) == 0
    assert not Notification.objects.filter(purpose=Purpose.ESCALATED).exists()


def calcium(value):
    return [lab("calcium_total", value, "mmol/L"), lab("albumin", "40", "g/L")]


def test_a_flag_raised_to_emergency_starts_a_new_clock_and_the_old_check_does_nothing(canary_patient, nurse):
    with freeze_time(RAISED):
        visit = services.record_visit(patient=canary_patient, seen_by=nurse, entry=visit_entry(labs=calcium("3.2")))
    flag = visit.flags.get(code="HYPERCALCAEMIA_LAB")
    assert flag.tier == "urgent"
    old_check = (flag.pk, flag.tier, flag.raised_at.isoformat())
    with freeze_time(RAISED + datetime.timedelta(hours=2)):  # the result was mistyped: 3.6, an emergency
        services.update_visit(
            visit=visit,
            entry=visit_entry(labs=calcium("3.6"), visit_date=visit.visit_date),
            lock_version=visit.lock_version,
            by=nurse,
        )
    flag.refresh_from_db()
    assert (flag.tier, flag.raised_at) == ("emergency", RAISED + datetime.timedelta(hours=2))
    assert Notification.objects.filter(flag=flag, purpose=Purpose.RAISED, tier="emergency").exists()
    with freeze_time(RAISED + datetime.timedelta(hours=25)):
        assert notifications.escalate(*old_check) is False  # queued for the urgent flag: stale
    assert escalated_after(datetime.timedelta(hours=2, minutes=59)) == 0
    assert escalated_after(datetime.timedelta(hours=3, minutes=1)) == 1
    assert Notification.objects.filter(flag=flag, purpose=Purpose.ESCALATED, tier="emergency").exists()


def test_a_clinic_with_no_escalation_contact_marks_nothing_escalated(patient, nurse):
    visit = raised(patient, nurse, limb_weakness=True)
    assert escalated_after(datetime.timedelta(hours=2)) == 0
    assert visit.flags.get(tier="emergency").escalated_at is None


def test_the_timers_sweep_escalates_what_the_worker_missed(canary_patient, nurse):
    raised(canary_patient, nurse, limb_weakness=True)
    out = io.StringIO()
    with freeze_time(RAISED + datetime.timedelta(hours=5)):
        call_command("escalate_overdue", stdout=out)
    # The on-call messages were never sent here (no worker): 5 hours on, the sweep queues them again too.
    assert out.getvalue() == f"1 flag(s) escalated; {len(ON_CALL)} message(s) whose task was lost queued again\n"
    assert Notification.objects.filter(purpose=Purpose.ESCALATED).count() == len(ESCALATION)
