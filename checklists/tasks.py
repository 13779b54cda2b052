"""What the task worker (`manage.py db_worker`, deploy/systemd/bonemets-worker.service) runs: thin wrappers over
the services, queued in the database with the rows they are about (services/notifications.py)."""

import logging

from django_tasks import task

from checklists.services import notifications

log = logging.getLogger(__name__)


@task()
def send_notifications(notification_ids: list[int]) -> list[str]:
    """Send messages of the outbox, each on its own: a failure queues that message's next attempt, and an error
    with one message never stops the others (the timer's sweep queues it again: notifications.requeue_stuck)."""
    sent = []
    for pk in notification_ids:
        try:
            sent.append(getattr(notifications.deliver(pk), "status", "gone"))
        except Exception:  # noqa: BLE001 - the next messages must still go out
            log.exception("sending notification %s failed", pk)
            sent.append("error")
    return sent


@task()
def escalate_flags(waiting: list[list]) -> int:
    """Queued with the flags, to run when the first time frame ends: escalate each still waiting past its own.
    `waiting` holds [flag id, tier, raised at] as they were when queued: a clinic's flags of a whole bulk load at
    times, so an error with one never stops the others (the timer's sweep tries it again: escalate_overdue)."""
    escalated = 0
    for flag_id, tier, raised_at in waiting:
        try:
            escalated += notifications.escalate(flag_id, tier, raised_at)
        except Exception:  # noqa: BLE001 - the next flags must still be escalated
            log.exception("escalating flag %s failed", flag_id)
    return escalated
