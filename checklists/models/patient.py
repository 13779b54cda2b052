from django.db import models
from django.urls import reverse

from checklists.history import AuditedHistory

from .choices import BONE_AGENT_CHOICES, KNOWN_SITE_CHOICES, PRIMARY_CANCER_CHOICES, Sex
from .clinic import Clinic, ClinicScopedQuerySet


class Patient(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField("MRN", max_length=40, help_text="Medical record number, unique within the clinic.")
    family_name = models.CharField(max_length=80)
    given_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    primary_cancer = models.CharField(max_length=20, choices=PRIMARY_CANCER_CHOICES)
    primary_cancer_other = models.CharField("other primary cancer", max_length=80, blank=True)
    known_sites = models.JSONField("known bone-metastasis sites", default=list, blank=True)
    bone_agent = models.CharField(
        "antiresorptive / bone-targeted agent", max_length=20, choices=BONE_AGENT_CHOICES, blank=True
    )
    baseline_alp = models.DecimalField(
        "baseline ALP (U/L)",
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Leave empty to use the first ALP on record.",
    )
    # Derived from the latest visit (whose own history keeps it), so not audited here.
    next_follow_up_due = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditedHistory(excluded_fields=["next_follow_up_due"])

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "mrn"], name="patient_mrn_unique_per_clinic")]
        indexes = [models.Index(fields=["clinic", "family_name", "given_name"])]

    def __str__(self):
        return f"{self.family_name.upper()}, {self.given_name}"

    def get_absolute_url(self):
        return reverse("checklists:patient-detail", args=[self.pk])

    @property
    def primary_cancer_label(self) -> str:
        if self.primary_cancer == "other" and self.primary_cancer_other:
            return self.primary_cancer_other
        return self.get_primary_cancer_display()

    @property
    def known_site_labels(self) -> list[str]:
        labels = dict(KNOWN_SITE_CHOICES)
        return [labels.get(site, site) for site in self.known_sites]

    @property
    def primary_cancer_key(self) -> str:
        """The cancer as the rules name it: a vocabulary word, or other:<name>."""
        if self.primary_cancer == "other" and self.primary_cancer_other.strip():
            return f"other:{self.primary_cancer_other.strip()}"
        return self.primary_cancer
