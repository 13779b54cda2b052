from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from checklists.history import AuditedHistory
from checklists.messages import as_sentence
from checklists.notifications.contacts import addresses, contact_problems
from checklists.rules import units

from .choices import ANALYTE_CHOICES, LAB_UNIT_CHOICES

CLINIC_STAFF = "Clinic staff"
CLINIC_ADMIN = "Clinic admin"


class Role(models.TextChoices):
    """What a person may do in one clinic (issue 12); each role may do everything the one before it may.

    The groups above only say who uses the admin site at all; what they may do in a clinic is this role."""

    NURSE = "nurse", "Nurse (log and edit visits, review prompt-review and routine flags)"
    CLINICIAN = "clinician", "Clinician (also review urgent and emergency flags, apply re-evaluation)"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin (also the clinic's checklist, ranges, people and event log)"


ROLE_RANK = {Role.NURSE: 0, Role.CLINICIAN: 1, Role.CLINIC_ADMIN: 2}


class ClinicQuerySet(models.QuerySet):
    def of(self, user, role=None):
        """The clinics whose rows the user may reach: their own; superusers run the site and reach all. With a
        role, only the clinics where the user holds at least that role (a clinic admin's admin pages).

        The one clinic-scoping rule: views, selectors, model managers and every admin page go through it.
        """
        if user.is_superuser:
            return self.all()
        if role is None:
            return self.filter(memberships__user=user)
        held = [name for name, rank in ROLE_RANK.items() if rank >= ROLE_RANK[role]]
        return self.filter(memberships__user=user, memberships__role__in=held)


class ClinicScopedQuerySet(models.QuerySet):
    """Rows that belong to a clinic through a `clinic` field."""

    def for_user(self, user):
        """Only the rows of the user's clinics; superusers run the site and see all."""
        if user.is_superuser:
            return self
        return self.filter(clinic__in=Clinic.objects.of(user))


class Clinic(models.Model):
    """A clinic (team) of the hospital: every patient belongs to one, every staff user to one or more."""

    name = models.CharField(max_length=120, unique=True)
    calcium_unit = models.CharField(
        "calcium unit for trends",
        max_length=10,
        choices=[(u, u) for u in units.CALCIUM_UNITS],
        default=units.MMOL_L,
        help_text="Calcium results in the other unit are converted for display only.",
    )
    require_two_factor = models.BooleanField(
        "require two-factor sign-in for all staff",
        default=False,
        help_text="Clinic admins always use a second factor; tick to ask it of every member of the clinic.",
    )
    # Who is told at once of an emergency flag, and who when a flag waits past its time frame (issue 15). The
    # messages hold no patient data: tier, clinic, time and a link.
    on_call_emails = models.TextField(
        "on-call contacts",
        blank=True,
        help_text="Email addresses told at once of every emergency flag; one per line.",
    )
    escalation_emails = models.TextField(
        "escalation contacts",
        blank=True,
        help_text="Email addresses told when an emergency flag waits over 1 hour, or an urgent one over 24 hours, "
        "without a review; one per line.",
    )
    notify_urgent = models.BooleanField(
        "tell on-call of urgent flags too",
        default=False,
        help_text="Emergency flags are always told at once; tick to tell on-call of urgent flags as well.",
    )
    # A CharField: the https-only rule and its message are the clinic's own (contacts.contact_problems).
    webhook_url = models.CharField(
        "pager or SMS gateway webhook",
        blank=True,
        max_length=500,
        help_text='Optional: an https address that receives the same message, signed (README, "Notifications").',
    )
    history = AuditedHistory()

    objects = ClinicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """A new clinic screens with the built-in checklist from its first visit, however it was created (the
        admin, a command, a shell): a clinic without a checklist could not log a visit (issue 12)."""
        adding = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            if adding:
                from .checklist import ChecklistVersion  # checklist.py names Clinic by string; no cycle at import

                ChecklistVersion.objects.create_builtin(self)

    def clean(self):
        """Every address a clinic is told at must work: a typo would silently reach nobody."""
        problems = contact_problems(self.on_call_emails, self.escalation_emails, self.webhook_url)
        if problems:
            raise ValidationError(problems)

    @property
    def on_call(self) -> list[str]:
        return addresses(self.on_call_emails)

    @property
    def escalation(self) -> list[str]:
        return addresses(self.escalation_emails)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    # The least a new member may do; an admin raises it (checklists/services/people.py).
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.NURSE)
    history = AuditedHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="membership_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self):
        return f"{self.user} in {self.clinic}"


class LabReferenceRangeQuerySet(models.QuerySet):
    def of_clinic(self, clinic) -> "ClinicRanges":
        """The clinic's own ranges, read once (one query) for every result of a visit, or of many."""
        return ClinicRanges({(r.analyte, r.unit): units.Range(r.lower, r.upper) for r in self.filter(clinic=clinic)})


class ClinicRanges(dict):
    """A clinic's own reference ranges by (analyte, unit); the built-in defaults fill the gaps (RULES.md §4.1)."""

    def for_result(self, analyte: str, unit: str) -> units.Range:
        return self.get((analyte, unit)) or units.DEFAULT_REFERENCE_RANGES[(analyte, unit)]


UNIT_DOES_NOT_FIT = "{unit} is not a unit of {analyte}; use {expected}."


class LabReferenceRange(models.Model):
    """A clinic's default reference range for an analyte in a unit, copied onto results given without one."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="reference_ranges")
    analyte = models.CharField(max_length=20, choices=ANALYTE_CHOICES)
    unit = models.CharField(max_length=10, choices=LAB_UNIT_CHOICES)
    lower = models.DecimalField("lower limit (LLN)", max_digits=9, decimal_places=3)
    upper = models.DecimalField("upper limit (ULN)", max_digits=9, decimal_places=3)
    history = AuditedHistory()

    objects = LabReferenceRangeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "analyte", "unit"], name="reference_range_unique"),
            models.CheckConstraint(condition=models.Q(lower__lt=models.F("upper")), name="reference_range_ordered"),
            models.CheckConstraint(condition=models.Q(lower__gt=0), name="reference_range_positive"),
        ]

    def __str__(self):
        return f"{self.clinic}: {self.get_analyte_display()} {self.lower}\u2013{self.upper} {self.unit}"

    def clean(self):
        """The unit fits the analyte and each limit is plausible in it (a range typed in the other unit is caught),
        whoever saves the range: the admin, a command or an import."""
        if not self.analyte or not self.unit or self.analyte not in units.ANALYTE_UNITS:
            return
        expected = units.ANALYTE_UNITS[self.analyte]
        if self.unit not in expected:
            label = units.ANALYTE_LABELS[self.analyte]
            raise ValidationError(
                {"unit": UNIT_DOES_NOT_FIT.format(unit=self.unit, analyte=label, expected=" or ".join(expected))}
            )
        errors = {}
        for name, which in (("lower", "lower limit"), ("upper", "upper limit")):
            value = getattr(self, name)
            error = value is not None and units.limit_error(self.analyte, value, self.unit, which)
            if error:
                errors[name] = as_sentence(error)
        if not errors and self.lower is not None and self.upper is not None:
            error = units.range_error(self.lower, self.upper)
            if error:
                errors["upper"] = as_sentence(error)
        if errors:
            raise ValidationError(errors)
