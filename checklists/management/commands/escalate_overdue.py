"""manage.py escalate_overdue: escalate every flag waiting past its tier's time frame that nobody was told of yet.

Each flag's check is queued with it and run by the worker when its time frame ends; this sweep (a systemd timer
every 5 minutes, deploy/systemd/bonemets-escalate.timer) catches any the worker missed: a worker stopped for an
upgrade, a flag from before notifications existed. It also queues again any message whose sending task was lost.
"""

from django.core.management.base import BaseCommand

from checklists.services import notifications


class Command(BaseCommand):
    help = "Escalate flags not reviewed within their tier's time frame (issue 15); run every few minutes."

    def handle(self, *args, **options):
        escalated = notifications.escalate_overdue()
        requeued = notifications.requeue_stuck()
        self.stdout.write(f"{escalated} flag(s) escalated; {requeued} message(s) whose task was lost queued again")
