"""Issue 15 §1: an emergency flag writes its messages to the clinic's on-call contacts in the transaction that
raised it, with their sending task; the messages hold no patient data."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from checklists import services
from checklists.models import Delivery, Flag, Notification, Purpose
from checklists.models.choices import FlagStatus
from tests.conftest import lab, visit_entry

from .conftest import ON_CALL

pytestmark = pytest.mark.django_db


def tasks_named(name):
    return DBTaskResult.objects.filter(task_path=f"checklists.tasks.{name}")


def test_an_emergency_is_written_for_each_on_call_contact_with_one_sending_task(canary_patient, nurse):
    visit = services.record_visit(patient=canary_patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    flag = visit.flags.get(tier="emergency")
    told = Notification.objects.filter(flag=flag, purpose=Purpose.RAISED)
    assert sorted(told.values_list("recipient", flat=True)) == sorted(ON_CALL)
    assert set(told.values_list("status", "channel", "contact", "tier")) == {
        (Delivery.PENDING, "email", "on-call", "emergency")
    }
    (sending,) = tasks_named("send_notifications")
    assert sorted(sending.args_kwargs["args"][0]) == sorted(told.values_list("pk", flat=True))


def test_the_message_names_tier_clinic_time_and_a_link_and_no_patient_data(canary_patient, nurse, settings):
    settings.SITE_URL = "https://bonemets.hospital.example"
    visit = services.record_visit(patient=canary_patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    flag = visit.flags.get(tier="emergency")
    message = Notification.objects.filter(flag=flag).first()
    assert message.subject == "bonemets: EMERGENCY flag in Clinic A"
    at = timezone.localtime(flag.raised_at).strftime("%H:%M")  # the clinic's clock (settings.TIME_ZONE)
    assert f"An EMERGENCY flag was raised in Clinic A at {at} on " in message.body
    assert f"— open bonemets: https://bonemets.hospital.example/flags/{flag.pk}/review/" in message.body
    for canary in ("ZZMRN4242", "Zzcanary", "Smith", "1955", "weak", "leg", "cord", flag.title, flag.reason[:30]):
        assert canary.lower() not in (message.subject + message.body).lower(), canary


def test_a_visit_that_rolls_back_tells_nobody(canary_patient, nurse):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record_visit(patient=canary_patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
        raise RuntimeError("the request failed after the visit was written")
    assert not Flag.objects.exists()
    assert not Notification.objects.exists() and not DBTaskResult.objects.exists()


def test_urgent_flags_are_told_only_when_the_clinic_chooses(canary_patient, nurse, told_clinic):
    spinal_pain = visit_entry(spinal_pain_new=True)
    visit = services.record_visit(patient=canary_patient, seen_by=nurse, entry=spinal_pain)
    assert visit.flags.filter(tier="urgent").exists()
    assert not Notification.objects.exists()
    told_clinic.notify_urgent = True
    told_clinic.save()
    canary_patient.refresh_from_db()
    later = services.record_visit(
        patient=canary_patient,
        seen_by=nurse,
        entry=visit_entry(spinal_pain_new=True, visit_date=spinal_pain.visit_date),
    )
    urgent = later.flags.get(tier="urgent")
    assert Notification.objects.filter(flag=urgent).count() == len(ON_CALL)


def test_prompt_review_and_routine_flags_tell_nobody_and_need_no_escalation_check(canary_patient, nurse):
    entry = visit_entry(labs=[lab("alp", "300", "U/L")])
    visit = services.record_visit(patient=canary_patient, seen_by=nurse, entry=entry)
    assert visit.flags.exists() and not visit.flags.filter(tier__in=["urgent", "emergency"]).exists()
    assert not Notification.objects.exists() and not DBTaskResult.objects.exists()


def test_an_edit_that_raises_an_emergency_tells_on_call(canary_patient, nurse):
    visit = services.record_visit(patient=canary_patient, seen_by=nurse, entry=visit_entry())
    assert not Notification.objects.exists()
    services.update_visit(visit=visit, entry=visit_entry(limb_weakness=True), lock_version=visit.lock_version, by=nurse)
    flag = visit.flags.get(tier="emergency", status=FlagStatus.OPEN)
    assert Notification.objects.filter(flag=flag).count() == len(ON_CALL)


def test_each_emergency_and_urgent_flag_gets_one_escalation_check_at_the_first_time_frame(canary_patient, nurse):
    entry = visit_entry(limb_weakness=True, spinal_pain_new=True)
    visit = services.record_visit(patient=canary_patient, seen_by=nurse, entry=entry)
    (check,) = tasks_named("escalate_flags")
    waiting = check.args_kwargs["args"][0]
    assert {flag_id for flag_id, _tier, _raised in waiting} == set(
        visit.flags.filter(tier__in=["urgent", "emergency"]).values_list("pk", flat=True)
    )
    emergency = visit.flags.get(tier="emergency")
    assert check.run_after == emergency.raised_at + datetime.timedelta(hours=1)
