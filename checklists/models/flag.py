from django.conf import settings
from django.db import models

from checklists.history import AuditedHistory
from checklists.rules.tiers import Tier

from .choices import TIER_CHOICES, FlagStatus, ReviewAction
from .visit import Visit


class Flag(models.Model):
    """A finding that needs review, kept with the tier, reason and sources it was raised with."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=40)
    tier = models.CharField(max_length=20, choices=TIER_CHOICES)
    title = models.CharField(max_length=120)
    reason = models.TextField()
    # Citations as shown when raised: [{"key", "title", "publisher", "date", "summary"}, ...]
    sources = models.JSONField(default=list)
    rules_version = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    raised_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # The latest review; earlier ones stay in the history table.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="flags_reviewed"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_action = models.CharField(max_length=30, choices=ReviewAction.choices, blank=True)
    review_note = models.TextField(blank=True)
    stable_until = models.DateField(null=True, blank=True)
    history = AuditedHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "code"], name="flag_unique_per_visit"),
            models.CheckConstraint(
                condition=~models.Q(status="reviewed") | models.Q(reviewed_at__isnull=False),
                name="flag_reviewed_has_a_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "tier", "raised_at"])]

    def __str__(self):
        return f"{self.code} ({self.tier})"

    @property
    def tier_enum(self) -> Tier:
        return Tier(self.tier)


class Recommendation(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="recommendations")
    code = models.CharField(max_length=40)
    text = models.CharField(max_length=200)
    due = models.CharField(max_length=40)
    sources = models.JSONField(default=list)
    satisfied = models.BooleanField()
    history = AuditedHistory()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "code"], name="recommendation_unique_per_visit")]

    def __str__(self):
        return self.code
