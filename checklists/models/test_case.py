from django.core.exceptions import ValidationError
from django.db import models

from checklists.history import AuditedHistory

from .choices import TIER_CHOICES

CASE_NEEDS_CLINIC = "Choose the clinic whose checklist this test case checks."


class RuleTestCase(models.Model):
    """Example findings (the JSON of RULES.md §8) with the flags and tiers a clinic expects them to raise."""

    # A clinic's own case, or (no clinic) one of the built-in worked examples every clinic shares, read-only.
    clinic = models.ForeignKey(
        "checklists.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="rule_test_cases"
    )
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    findings = models.JSONField(help_text="A findings document as in RULES.md section 8.")
    expected_visit_tier = models.CharField(max_length=20, choices=TIER_CHOICES)
    # [{"code": "MSCC_SUSPECTED", "tier": "emergency"}, ...]: each must fire with exactly that tier.
    flags_must_fire = models.JSONField(default=list, blank=True)
    # Codes that may fire or not; any other flag fails the case.
    flags_may_fire = models.JSONField(default=list, blank=True)
    is_builtin = models.BooleanField(default=False, help_text="One of the worked examples shipped with bonemets.")
    history = AuditedHistory()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="rule_test_case_name_per_clinic"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(clinic__isnull=True), name="rule_test_case_shared_name"
            ),
            # The built-in worked examples are shared; every other case belongs to one clinic.
            models.CheckConstraint(
                condition=models.Q(is_builtin=True, clinic__isnull=True)
                | models.Q(is_builtin=False, clinic__isnull=False),
                name="rule_test_case_builtin_is_shared",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.is_builtin and self.clinic_id is None:
            raise ValidationError({"clinic": CASE_NEEDS_CLINIC})
