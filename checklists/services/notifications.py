"""The notification outbox (issue 15): who is told of a flag, when, and whether it reached them.

A flag that must be told (an emergency; an urgent one where the clinic chose so) gets its messages written in the
same transaction that raised it, one row per contact, with their sending task queued in the same database
(django-tasks' database backend): a crash after the commit cannot lose them, and a rolled-back visit sends
nothing. The worker sends each, and tries again on failure (RETRY_AFTER) before giving up; repeated failures put
a banner on the worklist (selectors.notifications_failing_since). A flag not reviewed within its tier's time
frame is escalated once per tier to the clinic's escalation contacts: the check is queued with the flag, to run
when its time frame ends, and `manage.py escalate_overdue` (a timer) finds any the worker missed.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from checklists.history import recorded_as
from checklists.models import Channel, Clinic, Delivery, Flag, Notification, Purpose
from checklists.models.choices import FlagStatus
from checklists.notifications import delivery, messages
from checklists.rules.tiers import Tier
from checklists.rules.time_frames import ESCALATED, NOTIFIED_AT_ONCE, NOTIFIED_IF_CLINIC_CHOOSES
from checklists.worklist import TIME_FRAMES as REVIEW_TIME_FRAMES

# After the first failed attempt, wait this long before each next one; then give up (5 attempts in ~45 minutes).
RETRY_AFTER = (
    datetime.timedelta(seconds=30),
    datetime.timedelta(minutes=2),
    datetime.timedelta(minutes=10),
    datetime.timedelta(minutes=30),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
ON_CALL, ESCALATION = "on-call", "escalation"
log = logging.getLogger(__name__)


def told_at_once(tier: Tier, clinic: Clinic) -> bool:
    return tier in NOTIFIED_AT_ONCE or (clinic.notify_urgent and tier in NOTIFIED_IF_CLINIC_CHOOSES)


def flags_raised(flags, clinic: Clinic) -> None:
    """Flags just opened (new, reopened, or raised to a higher tier) of one clinic: queue the messages and the
    escalation check they need. Called inside the transaction that wrote them; at most three queries however
    many flags and contacts (one insert of the messages, one sending task, one escalation check)."""
    waiting = [flag for flag in flags if flag.status == FlagStatus.OPEN]
    told = []
    for flag in waiting:
        tier = Tier(flag.tier)
        if told_at_once(tier, clinic):
            message = messages.raised(tier, clinic.name, flag.raised_at, flag.pk)
            told += _messages(clinic, flag, Purpose.RAISED, tier, ON_CALL, clinic.on_call, message, flag.raised_at)
    _queue(told)
    _schedule_escalation([flag for flag in waiting if Tier(flag.tier) in ESCALATED])


def _messages(clinic, flag, purpose, tier, contact, emails, message, now, *, webhook=True) -> list[Notification]:
    """One message per address, and to the clinic's webhook if it has one (unsaved)."""
    rows = [(Channel.EMAIL, email) for email in emails]
    if webhook and clinic.webhook_url:
        rows.append((Channel.WEBHOOK, clinic.webhook_url))
    return [
        Notification(
            clinic=clinic,
            flag=flag,
            purpose=purpose,
            tier=tier.value if tier else "",
            flag_raised_at=flag.raised_at if flag else None,
            channel=channel,
            recipient=recipient,
            contact=contact,
            subject=message.subject,
            body=message.body,
            created_at=now,
        )
        for channel, recipient in rows
    ]


def _queue(unsaved: list[Notification]) -> list[Notification]:
    """Write the messages and queue one task that sends them all (each then retries on its own)."""
    if not unsaved:
        return []
    queued = Notification.objects.bulk_create(unsaved)
    from checklists import tasks  # tasks import this module

    tasks.send_notifications.enqueue([notification.pk for notification in queued])
    return queued


def _schedule_escalation(flags) -> None:
    """One check for these flags, when the first of their time frames ends (a flag not due yet is looked at
    again when its own ends)."""
    if not flags:
        return
    from checklists import tasks

    due = min(flag.raised_at + REVIEW_TIME_FRAMES[Tier(flag.tier)] for flag in flags)
    waiting = [[flag.pk, flag.tier, flag.raised_at.isoformat()] for flag in flags]
    tasks.escalate_flags.using(run_after=due).enqueue(waiting)


# -- sending ------------------------------------------------------------------------------------------------------


def deliver(notification_id: int) -> Notification | None:
    """Send one queued message (the worker's task). On failure, keep it and queue the next attempt, or give up
    after MAX_ATTEMPTS; never raises for a refusing server."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != Delivery.PENDING:
            return notification  # sent already (a task run twice), or given up
        now = timezone.now()
        notification.attempts += 1
        notification.last_attempt_at = now
        try:
            if notification.channel == Channel.WEBHOOK:
                delivery.send_webhook(notification.recipient, notification.subject, notification.body)
            else:
                delivery.send_email(notification.recipient, notification.subject, notification.body)
        except delivery.NotSent as error:
            notification.last_error = str(error)[:300]
            notification.first_failed_at = notification.first_failed_at or now
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = Delivery.FAILED
            else:
                from checklists import tasks

                retry_at = now + RETRY_AFTER[notification.attempts - 1]
                tasks.send_notifications.using(run_after=retry_at).enqueue([notification.pk])
        else:
            notification.status, notification.sent_at, notification.last_error = Delivery.SENT, now, ""
        notification.save()
    return notification


# -- escalation ---------------------------------------------------------------------------------------------------


def escalate(flag_id: int, tier: str, raised_at: str) -> bool:
    """Tell the clinic's escalation contacts of a flag still open past its tier's time frame, once per tier.
    `tier` and `raised_at` are the flag's when the check was queued: a flag reviewed, reopened or re-tiered since
    has a newer check (or none). Returns whether it was escalated now."""
    with transaction.atomic():
        flag = Flag.objects.select_for_update(of=("self",)).select_related("visit__clinic").filter(pk=flag_id).first()
        if flag is None or not _still_waiting(flag, tier, raised_at):
            return False
        return _escalate(flag, timezone.now())


def _still_waiting(flag: Flag, tier: str, raised_at: str) -> bool:
    return (
        flag.status == FlagStatus.OPEN
        and flag.escalated_at is None
        and flag.tier == tier
        and flag.raised_at == datetime.datetime.fromisoformat(raised_at)
        and flag.visit.voided_at is None
    )


def _escalate(flag: Flag, now: datetime.datetime) -> bool:
    tier = Tier(flag.tier)
    if now < flag.raised_at + REVIEW_TIME_FRAMES[tier]:
        _schedule_escalation([flag])  # a worker running early: look again when the time frame ends
        return False
    clinic = flag.visit.clinic
    if not clinic.escalation and not clinic.webhook_url:
        return False  # nobody to tell: the worklist shows it overdue (and the clinic's settings, no contact)
    message = messages.escalated(tier, clinic.name, flag.raised_at, flag.pk)
    _queue(_messages(clinic, flag, Purpose.ESCALATED, tier, ESCALATION, clinic.escalation, message, now))
    flag.escalated_at = now
    with recorded_as(None, "escalated: not reviewed within its time frame"):
        flag.save(update_fields=["escalated_at"])
    return True


def overdue_flags(now: datetime.datetime):
    """Open flags past their tier's time frame that nobody was told of yet (the timer's sweep)."""
    late = Q()
    for tier in ESCALATED:
        late |= Q(tier=tier.value, raised_at__lte=now - REVIEW_TIME_FRAMES[tier])
    return Flag.objects.filter(late, status=FlagStatus.OPEN, escalated_at__isnull=True, visit__voided_at__isnull=True)


def escalate_overdue(now: datetime.datetime | None = None) -> int:
    """Escalate every overdue flag the queued checks missed (a worker down for a while); returns how many. One
    flag that fails is logged and the others are still escalated."""
    escalated = 0
    for flag_id, tier, raised_at in overdue_flags(now or timezone.now()).values_list("pk", "tier", "raised_at"):
        try:
            escalated += escalate(flag_id, tier, raised_at.isoformat())
        except Exception:  # noqa: BLE001 - one flag's failure must not stop the others' escalation
            log.exception("escalating flag %s failed", flag_id)
    return escalated


# A message not tried this long after it was written (or after its retry was due) has lost its task: a worker
# killed mid-send, a task that failed outside the send. The timer's sweep queues it again.
STUCK_AFTER = datetime.timedelta(minutes=5)


def stuck(now: datetime.datetime):
    """Messages waiting to be sent whose task should have run by now."""
    late = Q(attempts=0, created_at__lt=now - STUCK_AFTER)
    for attempts, delay in enumerate(RETRY_AFTER, start=1):
        late |= Q(attempts=attempts, last_attempt_at__lt=now - delay - STUCK_AFTER)
    return Notification.objects.filter(late, status=Delivery.PENDING)


def requeue_stuck(now: datetime.datetime | None = None) -> int:
    """Queue again every message whose task was lost; sending twice is harmless (deliver sends a row once)."""
    ids = list(stuck(now or timezone.now()).values_list("pk", flat=True))
    if ids:
        from checklists import tasks

        tasks.send_notifications.enqueue(ids)
    return len(ids)


# -- a clinic's settings ------------------------------------------------------------------------------------------


NO_CONTACTS = "{clinic} has no on-call or escalation contact and no webhook: nobody would be told of a flag."


class NoContacts(Exception):
    pass


@transaction.atomic
def send_test(*, clinic: Clinic) -> list[Notification]:
    """A test message to each of the clinic's contacts, through the worker like a real one."""
    now = timezone.now()
    message = messages.test(clinic.name, now)
    unsaved = _messages(clinic, None, Purpose.TEST, None, ON_CALL, clinic.on_call, message, now)
    # The webhook has its test with the on-call messages: the escalation contacts get theirs by email.
    unsaved += _messages(clinic, None, Purpose.TEST, None, ESCALATION, clinic.escalation, message, now, webhook=False)
    queued = _queue(unsaved)
    if not queued:
        raise NoContacts(NO_CONTACTS.format(clinic=clinic.name))
    return queued
