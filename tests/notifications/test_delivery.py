"""Issue 15 §1: sending with retries; a failure is kept with what the server said; repeated failures put a banner
on the worklist for everyone; the webhook is signed and refused unsigned or in clear."""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from checklists import selectors, services
from checklists.models import Delivery, Notification
from checklists.notifications import delivery
from checklists.services import notifications
from tests.conftest import visit_entry
from tests.views.helpers import login

from .conftest import FAILING_EMAIL, ON_CALL

pytestmark = pytest.mark.django_db


def emergency(patient, nurse):
    return services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))


def test_a_sent_message_is_delivered_once_even_when_its_task_runs_twice(canary_patient, nurse):
    emergency(canary_patient, nurse)
    first = Notification.objects.first()
    assert notifications.deliver(first.pk).status == Delivery.SENT
    notifications.deliver(first.pk)
    assert [message.to for message in mail.outbox] == [[first.recipient]]
    first.refresh_from_db()
    assert first.attempts == 1 and first.sent_at is not None and first.last_error == ""


def test_a_refused_message_is_tried_again_later_then_given_up(canary_patient, nurse, settings):
    settings.EMAIL_BACKEND = FAILING_EMAIL
    emergency(canary_patient, nurse)
    message = Notification.objects.first()
    start = datetime.datetime(2026, 11, 20, 18, 2, tzinfo=datetime.UTC)
    with freeze_time(start) as clock:
        for attempt in range(1, notifications.MAX_ATTEMPTS + 1):
            notifications.deliver(message.pk)
            message.refresh_from_db()
            assert message.attempts == attempt
            assert message.first_failed_at == start
            assert message.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
            if attempt < notifications.MAX_ATTEMPTS:
                assert message.status == Delivery.PENDING
                retry = DBTaskResult.objects.filter(args_kwargs__args=[[message.pk]]).latest("enqueued_at")
                assert retry.run_after == start + sum(notifications.RETRY_AFTER[:attempt], datetime.timedelta())
                clock.move_to(retry.run_after)
    assert message.status == Delivery.FAILED
    assert mail.outbox == []


def test_repeated_failures_put_a_banner_on_the_worklist_for_everyone_until_one_is_delivered(
    canary_patient, nurse, outsider, settings
):
    emergency(canary_patient, nurse)
    first, second = Notification.objects.all()
    notifications.deliver(second.pk)  # one delivered before the failures
    settings.EMAIL_BACKEND = FAILING_EMAIL
    notifications.deliver(first.pk)
    assert selectors.notifications_failing_since() is None  # one failed attempt is not yet "failing"
    notifications.deliver(first.pk)
    first.refresh_from_db()
    since = selectors.notifications_failing_since()
    assert since == first.first_failed_at
    client = login(outsider)  # another clinic's staff see it too
    page = client.get(reverse("checklists:worklist")).content.decode()
    assert "Notifications are failing since" in page and "canary" not in page.lower()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notifications.deliver(first.pk)
    assert selectors.notifications_failing_since() is None
    assert "Notifications are failing" not in client.get(reverse("checklists:worklist")).content.decode()


class Gateway(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Gateway.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    Gateway.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/page"
    server.shutdown()


def test_the_webhook_gets_the_same_message_signed_with_the_sites_key(
    canary_patient, nurse, told_clinic, gateway, settings
):
    settings.NOTIFICATION_WEBHOOK_KEY = "k" * 50
    settings.DEBUG = True  # the test gateway speaks plain http; production refuses it (below)
    told_clinic.webhook_url = gateway
    told_clinic.save()
    emergency(canary_patient, nurse)
    webhook = Notification.objects.get(channel="webhook")
    assert notifications.deliver(webhook.pk).status == Delivery.SENT
    ((headers, body),) = Gateway.received
    expected = "sha256=" + hmac.new(b"k" * 50, body, hashlib.sha256).hexdigest()
    assert headers[delivery.SIGNATURE_HEADER] == expected
    assert json.loads(body) == {"subject": webhook.subject, "text": webhook.body}
    assert Notification.objects.filter(channel="email").count() == len(ON_CALL)


def test_a_webhook_is_never_sent_unsigned_or_in_clear(settings):
    settings.NOTIFICATION_WEBHOOK_KEY = ""
    with pytest.raises(delivery.NotSent, match="never sent unsigned"):
        delivery.send_webhook("https://pager.hospital.example/", "s", "b")
    settings.NOTIFICATION_WEBHOOK_KEY = "k" * 50
    with pytest.raises(delivery.NotSent, match="not an https"):
        delivery.send_webhook("http://pager.hospital.example/", "s", "b")
