from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from checklists import searches
from checklists.history import AuditedHistory

from .choices import BONE_AGENT_CHOICES, KNOWN_SITE_CHOICES, PRIMARY_CANCER_CHOICES, Sex
from .clinic import Clinic, ClinicScopedQuerySet

BASELINE_ALP_NEEDS_DATE = "Enter the date this baseline ALP was measured."
BASELINE_DATE_NEEDS_ALP = "Enter the baseline ALP measured on this date, or clear the date."
BASELINE_DATE_IN_FUTURE = "The baseline ALP cannot have been measured in the future."


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
    # RULES.md §4.4: the baseline is only one a clinician records, with the date it was measured; an earlier
    # visit's ALP never becomes the baseline by itself.
    baseline_alp = models.DecimalField(
        "baseline ALP (U/L)",
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Only a baseline a clinician has judged: without one, ALP is graded against the lab's upper limit.",
    )
    baseline_alp_measured_on = models.DateField("baseline ALP measured on", null=True, blank=True)
    # Derived from the latest visit (whose own history keeps it), so not audited here.
    next_follow_up_due = models.DateField(null=True, blank=True)
    # The names and MRN as a search compares them (checklists/searches.py); kept up to date by save().
    # Text, not a bounded column: folding can lengthen a name ("ß" -> "ss", a Hangul syllable -> three letters).
    search_words = models.TextField(default="", editable=False)
    mrn_key = models.TextField(default="", editable=False)
    # Optimistic locking: two people editing one patient never overwrite each other unseen (issue 11).
    lock_version = models.PositiveIntegerField(default=1)
    # Issued with the add-patient form: a second submit of it finds the patient the first one added (issue 11).
    submission_id = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditedHistory(excluded_fields=["next_follow_up_due", "submission_id", "search_words", "mrn_key"])

    objects = ClinicScopedQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "mrn"], name="patient_mrn_unique_per_clinic"),
            models.UniqueConstraint(fields=["submission_id"], name="patient_submission_unique"),
            models.CheckConstraint(
                condition=models.Q(baseline_alp__isnull=True, baseline_alp_measured_on__isnull=True)
                | models.Q(baseline_alp__isnull=False, baseline_alp_measured_on__isnull=False),
                name="patient_baseline_alp_with_its_date",
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "family_name", "given_name"]),
            # Follow-ups due or overdue, by clinic (issue 13).
            models.Index(fields=["clinic", "next_follow_up_due"], name="patient_follow_up_due"),
        ]

    def __str__(self):
        return f"{self.family_name.upper()}, {self.given_name}"

    def save(self, *args, **kwargs):
        self.set_search_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"family_name", "given_name", "mrn"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_words", "mrn_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("checklists:patient-detail", args=[self.pk])

    def clean(self):
        # The database constraint holds the pairing; this says which field to fix, for every caller of full_clean.
        errors = {}
        if self.baseline_alp is not None and self.baseline_alp_measured_on is None:
            errors["baseline_alp_measured_on"] = BASELINE_ALP_NEEDS_DATE
        if self.baseline_alp is None and self.baseline_alp_measured_on is not None:
            errors["baseline_alp"] = BASELINE_DATE_NEEDS_ALP
        if self.baseline_alp_measured_on and self.baseline_alp_measured_on > timezone.localdate():
            errors["baseline_alp_measured_on"] = BASELINE_DATE_IN_FUTURE
        if errors:
            raise ValidationError(errors)

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

    def set_search_keys(self) -> None:
        """What search reads, derived from the names and MRN (every save; a bulk create calls it itself)."""
        self.search_words = searches.words_of(self.family_name, self.given_name)
        self.mrn_key = searches.mrn_key(self.mrn)
