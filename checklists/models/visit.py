import functools
import operator

from django.conf import settings
from django.db import models
from django.urls import reverse

from checklists.history import AuditedHistory
from checklists.rules.tiers import Tier
from checklists.rules.units import ANALYTE_UNITS

from .checklist import ChecklistItem, ChecklistVersion
from .choices import (
    ANALYTE_CHOICES,
    IMAGING_CHOICES,
    LAB_UNIT_CHOICES,
    TIER_CHOICES,
    Answer,
    ImagingStatus,
    ImagingUrgency,
    ScoreKind,
    VisitStatus,
)
from .clinic import Clinic, ClinicScopedQuerySet
from .patient import Patient

ANALYTES = [value for value, _label in ANALYTE_CHOICES]
# Each analyte only in its own units (RULES.md §4.1): a calcium in g/L is refused by the database too.
UNIT_FITS_ANALYTE = functools.reduce(
    operator.or_, (models.Q(analyte=analyte, unit__in=list(allowed)) for analyte, allowed in ANALYTE_UNITS.items())
)
MODALITIES = [value for value, _label in IMAGING_CHOICES]


class Visit(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="visits")
    # Denormalised from the patient so the worklist filters by clinic without a join.
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="visits")
    visit_date = models.DateField()
    seen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits_seen")
    checklist_version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="visits")
    status = models.CharField(max_length=10, choices=VisitStatus.choices, default=VisitStatus.DRAFT)
    pain_score = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    next_follow_up_due = models.DateField(null=True, blank=True)
    rules_version = models.CharField(max_length=20)
    tier = models.CharField(max_length=20, choices=TIER_CHOICES, default=Tier.NONE)
    # The evaluation document (RULES.md §8) as computed when saved, so the page and printout never change.
    evaluation = models.JSONField(default=dict)
    lock_version = models.PositiveIntegerField(default=1)
    # Issued with the new-visit form: a second submit of the same form (Back then Save, a double click, a retry)
    # finds the visit the first one made instead of recording it twice (issue 11).
    submission_id = models.UUIDField(null=True, blank=True, editable=False)
    re_evaluated_at = models.DateTimeField(null=True, blank=True)
    re_evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A visit entered in error is voided, never deleted: it leaves the worklist and lists and keeps its record.
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditedHistory(excluded_fields=["submission_id"])

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-visit_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pain_score__isnull=True) | models.Q(pain_score__lte=10), name="visit_pain_0_to_10"
            ),
            models.CheckConstraint(
                condition=models.Q(voided_at__isnull=True, voided_by__isnull=True, void_reason="")
                | (models.Q(voided_at__isnull=False, voided_by__isnull=False) & ~models.Q(void_reason="")),
                name="visit_voided_with_who_when_why",
            ),
            models.CheckConstraint(condition=models.Q(status__in=VisitStatus.values), name="visit_status_valid"),
            models.CheckConstraint(condition=models.Q(tier__in=[t.value for t in Tier]), name="visit_tier_valid"),
            models.UniqueConstraint(fields=["submission_id"], name="visit_submission_unique"),
        ]
        indexes = [
            models.Index(fields=["patient", "-visit_date"]),
            models.Index(fields=["clinic", "tier"]),
            # The CSV export reads a clinic's visits oldest first (issue 13).
            models.Index(fields=["clinic", "visit_date", "id"], name="visit_clinic_date"),
        ]

    def __str__(self):
        return f"{self.patient} \u2014 {self.visit_date:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("checklists:visit-detail", args=[self.pk])

    @property
    def tier_enum(self) -> Tier:
        return Tier(self.tier)

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class ScreenAnswer(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.NOT_ASKED)
    history = AuditedHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "item"], name="screen_answer_unique"),
            models.CheckConstraint(condition=models.Q(answer__in=Answer.values), name="screen_answer_valid"),
        ]

    def __str__(self):
        return f"{self.item.key}: {self.answer}"


class LabResult(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="lab_results")
    analyte = models.CharField(max_length=20, choices=ANALYTE_CHOICES)
    value = models.DecimalField(max_digits=9, decimal_places=3)
    unit = models.CharField(max_length=10, choices=LAB_UNIT_CHOICES)
    # The range as the reporting lab gave it, or the clinic's default copied when staff gave none.
    reference_lower = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    reference_upper = models.DecimalField(max_digits=9, decimal_places=3)
    reference_from_clinic_default = models.BooleanField(default=False)
    collected_on = models.DateField(null=True, blank=True)
    # Who confirmed the unit of a value that reads as an emergency in both units (a soft stop, RULES.md §4.5).
    unit_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = AuditedHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "analyte"], name="lab_result_unique_per_visit"),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="lab_result_value_positive"),
            models.CheckConstraint(condition=models.Q(reference_upper__gt=0), name="lab_result_uln_positive"),
            models.CheckConstraint(
                condition=models.Q(reference_lower__isnull=True)
                | models.Q(reference_lower__lt=models.F("reference_upper")),
                name="lab_result_lln_below_uln",
            ),
            models.CheckConstraint(condition=models.Q(analyte__in=ANALYTES), name="lab_result_analyte_valid"),
            models.CheckConstraint(condition=UNIT_FITS_ANALYTE, name="lab_result_unit_fits_analyte"),
        ]

    def __str__(self):
        return f"{self.get_analyte_display()} {self.value} {self.unit}"


class ImagingOrder(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="imaging_orders")
    modality = models.CharField(max_length=20, choices=IMAGING_CHOICES)
    region = models.CharField(max_length=120)
    urgency = models.CharField(max_length=20, choices=ImagingUrgency.choices, default=ImagingUrgency.ROUTINE)
    reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=ImagingStatus.choices, default=ImagingStatus.ORDERED)
    # ordered -> booked (for a date) -> done, or cancelled with a reason (issue 15 §4): who moved it, and when.
    booked_for = models.DateField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    # No index: never looked up by; an index build would lock the orders table in the migration (issue 15 review).
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    status_at = models.DateTimeField(null=True, blank=True)
    history = AuditedHistory()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(modality__in=MODALITIES), name="imaging_modality_valid"),
            models.CheckConstraint(condition=models.Q(urgency__in=ImagingUrgency.values), name="imaging_urgency_valid"),
            models.CheckConstraint(condition=models.Q(status__in=ImagingStatus.values), name="imaging_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status="booked") | models.Q(booked_for__isnull=False),
                name="imaging_booked_for_a_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | ~models.Q(cancel_reason=""),
                name="imaging_cancelled_with_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_modality_display()} {self.region}"


class FractureRiskScore(models.Model):
    """A Mirels or SINS entry of a visit, with its components as the rules name them."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="scores")
    kind = models.CharField(max_length=10, choices=ScoreKind.choices)
    components = models.JSONField()
    total = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=30)
    history = AuditedHistory()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "kind"], name="score_unique_per_visit")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.total}"
