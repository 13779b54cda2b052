from django.db import models

from checklists.history import AuditedHistory

from .choices import TIER_CHOICES


class RuleTestCase(models.Model):
    """Example findings (the JSON of RULES.md §8) with the flags and tiers a clinic expects them to raise."""

    name = models.CharField(max_length=80, unique=True)
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

    def __str__(self):
        return self.name
