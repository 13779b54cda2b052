"""What the task worker (`manage.py db_worker`, deploy/systemd/bonemets-worker.service) runs: thin wrappers over
the services, queued in the database with the rows they are about (services/notifications.py)."""

from django_tasks import task

from checklists.services import notifications


@task()
def send_notifications(notification_ids: list[int]) -> list[str]:
    """Send messages of the outbox, each on its own: a failure queues that message's next attempt."""
    return [getattr(notifications.deliver(pk), "status", "gone") for pk in notification_ids]


@task()
def escalate_flags(waiting: list[list]) -> int:
    """Queued with the flags, to run when the first time frame ends: escalate each still waiting past its own.
    `waiting` holds [flag id, tier, raised at] as they were when queued."""
    return sum(notifications.escalate(flag_id, tier, raised_at) for flag_id, tier, raised_at in waiting)
