"""The notification outbox (issue 15): one row per message to one contact, written in the transaction that raised
or escalated the flag it is about, so a crash cannot lose it; the task worker sends it and keeps trying."""

from django.db import models

from .choices import TIER_CHOICES
from .clinic import Clinic, ClinicScopedQuerySet
from .flag import Flag


class Purpose(models.TextChoices):
    RAISED = "raised", "raised"
    ESCALATED = "escalated", "escalated"
    TEST = "test", "test"


class Channel(models.TextChoices):
    EMAIL = "email", "emailed"
    WEBHOOK = "webhook", "sent to the pager webhook"


class Delivery(models.TextChoices):
    PENDING = "pending", "waiting to be sent"
    SENT = "sent", "delivered"
    FAILED = "failed", "failed"


class Notification(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="notifications")
    # None for a clinic admin's test message.
    flag = models.ForeignKey(Flag, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    # The tier the message told of (a flag's tier may change after).
    tier = models.CharField(max_length=20, choices=TIER_CHOICES)
    # When the flag was raised, as the message told it: a flag reopened (withdrawn and back, reviewed and worse) is
    # a new episode, told and escalated afresh.
    flag_raised_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # An email address, or the webhook's address.
    recipient = models.CharField(max_length=500)
    # Who the recipient is to the clinic: "on-call", "escalation".
    contact = models.CharField(max_length=20)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    first_failed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What the mail server or gateway answered (never the message).
    last_error = models.CharField(max_length=300, blank=True)

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(purpose__in=Purpose.values), name="notification_purpose_known"),
            models.CheckConstraint(condition=models.Q(channel__in=Channel.values), name="notification_channel_known"),
            models.CheckConstraint(condition=models.Q(status__in=Delivery.values), name="notification_status_known"),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notification_sent_has_a_time",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose="test") | models.Q(flag__isnull=False), name="notification_about_a_flag"
            ),
            # Each time a flag is raised (or raised again) it is told, and escalated, once per tier to each contact,
            # however often the check runs (issue 15 §2); a retry is the same row.
            models.UniqueConstraint(
                fields=["flag", "flag_raised_at", "purpose", "tier", "channel", "recipient"],
                condition=models.Q(purpose__in=["raised", "escalated"]),
                name="notification_once_per_episode",
            ),
        ]
        indexes = [
            # The worklist's banner: the failing messages since the last delivery.
            models.Index(fields=["status", "first_failed_at"], name="notification_failing"),
            models.Index(fields=["recipient", "channel", "-sent_at"], name="notification_recipient_sent"),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} {self.tier} to {self.contact} ({self.get_status_display()})"
