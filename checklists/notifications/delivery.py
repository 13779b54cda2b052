"""Sending one notification: email through Django's email backend (SMTP in production, a folder in development),
or a POST to the clinic's webhook signed with the site's key (README, "Notifications")."""

import hashlib
import hmac
import json
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage

WEBHOOK_TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Bonemets-Signature"


class NotSent(Exception):
    """The mail server or gateway refused or did not answer; the message is kept and tried again."""


def send_email(recipient: str, subject: str, body: str) -> None:
    try:
        sent = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient]).send()
    except Exception as error:  # smtplib, socket and ssl errors alike: the outbox tries again
        raise NotSent(f"{type(error).__name__}: {error}") from error
    if sent != 1:
        raise NotSent("the email backend sent nothing")


def signature(body: bytes) -> str:
    """HMAC-SHA256 of the request body with NOTIFICATION_WEBHOOK_KEY, as the receiver recomputes it."""
    return "sha256=" + hmac.new(settings.NOTIFICATION_WEBHOOK_KEY.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(url: str, subject: str, body: str) -> None:
    if not url.lower().startswith("https://") and not settings.DEBUG:
        raise NotSent("the webhook is not an https:// address")
    if not settings.NOTIFICATION_WEBHOOK_KEY:
        raise NotSent("NOTIFICATION_WEBHOOK_KEY is not set: a webhook is never sent unsigned")
    payload = json.dumps({"subject": subject, "text": body}).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above (https, or any in development)
        url,
        data=payload,
        method="POST",
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature(payload)},
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as answer:  # noqa: S310  # nosec B310
            status = answer.status
    except Exception as error:  # URLError, HTTPError, timeouts: the outbox tries again
        raise NotSent(f"{type(error).__name__}: {error}") from error
    if not 200 <= status < 300:
        raise NotSent(f"the gateway answered {status}")
