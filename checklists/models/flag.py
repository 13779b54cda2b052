from django.conf import settings
from django.db import models

from checklists.history import AuditedHistory
from checklists.rules.tiers import SERIOUS, Tier

from .choices import TIER_CHOICES, FlagStatus, ReviewAction
from .visit import Visit

SERIOUS_TIERS = sorted(tier.value for tier in SERIOUS)
FLAG_TIERS = [tier.value for tier in Tier if tier != Tier.NONE]

# A clinic's own item raises ITEM_<KEY>: its code fits whatever key the admin may give (issue 10).
FLAG_CODE_LENGTH = 80
FLAG_TITLE_LENGTH = 200


class Flag(models.Model):
    """A finding that needs review, kept with the tier, reason and sources it was raised with."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=FLAG_CODE_LENGTH)
    tier = models.CharField(max_length=20, choices=TIER_CHOICES)
    title = models.CharField(max_length=FLAG_TITLE_LENGTH)
    reason = models.TextField()
    # Citations as shown when raised: [{"key", "title", "publisher", "date", "summary"}, ...]
    sources = models.JSONField(default=list)
    rules_version = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    # How severe when raised (a CTCAE grade or a score total) and the screen items that raised it: what "no worse"
    # is measured against when a "known and stable" review carries over, and a rise that reopens a review.
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    triggered_by = models.JSONField(default=list, blank=True)
    raised_at = models.DateTimeField()
    # Withdrawn: an edit stopped the flag firing. Who, when and why.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="flags_withdrawn"
    )
    withdrawn_reason = models.TextField(blank=True)
    # Carried over: the earlier flag whose "known and stable until" review covers this one.
    carried_over_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_over_to"
    )
    # The latest review; earlier ones stay in the history table.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="flags_reviewed"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_action = models.CharField(max_length=30, choices=ReviewAction.choices, blank=True)
    review_note = models.TextField(blank=True)
    stable_until = models.DateField(null=True, blank=True)
    # When the clinic's escalation contact was told it waited past its tier's time frame (issue 15); cleared
    # when the flag opens again, whose clock starts again.
    escalated_at = models.DateTimeField(null=True, blank=True)
    history = AuditedHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "code"], name="flag_unique_per_visit"),
            models.CheckConstraint(
                condition=~models.Q(status="reviewed") | models.Q(reviewed_at__isnull=False),
                name="flag_reviewed_has_a_time",
            ),
            # The database backs what the services enforce (issue 10).
            models.CheckConstraint(
                condition=~models.Q(status="reviewed") | models.Q(reviewed_by__isnull=False),
                name="flag_reviewed_has_a_reviewer",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="reviewed", tier__in=SERIOUS_TIERS) | ~models.Q(review_note=""),
                name="flag_serious_review_has_a_note",
            ),
            models.CheckConstraint(
                condition=~models.Q(tier__in=SERIOUS_TIERS) | models.Q(stable_until__isnull=True),
                name="flag_serious_never_known_stable",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn")
                | (models.Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False) & ~models.Q(withdrawn_reason="")),
                name="flag_withdrawn_with_who_when_why",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="carried_over") | models.Q(carried_over_from__isnull=False),
                name="flag_carried_over_from_a_review",
            ),
            # A carried-over flag names the review it relies on; nobody reviewed it (issue 10).
            models.CheckConstraint(
                condition=~models.Q(status="carried_over")
                | models.Q(reviewed_by__isnull=True, reviewed_at__isnull=True),
                name="flag_carried_over_not_reviewed",
            ),
            models.CheckConstraint(condition=models.Q(status__in=FlagStatus.values), name="flag_status_valid"),
            models.CheckConstraint(condition=models.Q(tier__in=FLAG_TIERS), name="flag_tier_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "tier", "raised_at"]),
            # The worklist's "recently reviewed": the latest reviews, newest first (issue 13).
            models.Index(fields=["-reviewed_at"], condition=models.Q(status="reviewed"), name="flag_latest_reviews"),
        ]

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
    # The visit already records it (an MRI ordered at the visit): not yet done (issue 15 §4).
    satisfied = models.BooleanField()
    # Done: marked by a person (who, when, how), or by a linked imaging order completed (which, by whom).
    done_at = models.DateTimeField(null=True, blank=True)
    # When an open action becomes overdue: its visit recorded, plus its time frame (rules.follow_through.DUE_HOURS);
    # none for a time frame without hours. Kept on the row so the worklist finds the overdue in an index of the
    # open actions, not by joining every open action to its visit (issue 13).
    due_at = models.DateTimeField(null=True, blank=True)
    # No indexes on these two: never looked up by, and building one would lock the table in the migration.
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions_done",
        db_index=False,
    )
    done_how = models.CharField(max_length=200, blank=True)
    done_by_order = models.ForeignKey(
        "checklists.ImagingOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions_completed",
        db_index=False,
    )
    history = AuditedHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "code"], name="recommendation_unique_per_visit"),
            # Done means someone said how: "MRI whole spine booked for 23 Nov", "FBC taken" (issue 15 §4).
            models.CheckConstraint(
                condition=models.Q(done_at__isnull=True, done_how="")
                | (models.Q(done_at__isnull=False, done_by__isnull=False) & ~models.Q(done_how="")),
                name="recommendation_done_with_who_when_how",
            ),
        ]
        indexes = [
            # An order is deleted by a visit edit only when no action names it (PROTECT): found by this index, a
            # small one (actions completed by an order), built concurrently (migration 0031).
            models.Index(
                fields=["done_by_order"],
                condition=models.Q(done_by_order__isnull=False),
                name="recommendation_done_by_order",
            ),
            # The worklist's overdue actions: the open ones by when they fall due (migration 0034).
            models.Index(fields=["due_at"], condition=models.Q(done_at__isnull=True), name="recommendation_open_due"),
        ]

    def __str__(self):
        return self.code
