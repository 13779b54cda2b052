from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from checklists.history import AuditedHistory
from checklists.rules.vocabulary import SCREEN_ITEMS, SYMPTOM_KEYS

from .choices import SECTION_CHOICES, TIER_CHOICES

BUILTIN_KEY = "{key!r} is the key of a built-in item; give the new item a key of its own."
BUILTIN_ITEM_KEPT = (
    "“{wording}” is a built-in item: it can be reworded, reordered or moved to another section, never {what} "
    "(RULES.md §3)."
)
FLAG_NEEDS_TIER = "Choose the tier of the flag this item raises, or clear its title and source."
KEY_IS_FIXED = "The key of an item cannot change: past visits and test cases refer to it."
KEY_TAKEN = (
    "Another item of this checklist has the key {key!r} (capital letters aside); give this one a key of its own."
)

STAFF_FLAG_TIERS = [(value, label) for value, label in TIER_CHOICES if value != "none"]


BUILTIN_NOTE = "Built-in items of RULES.md section 3"


class ChecklistVersionQuerySet(models.QuerySet):
    def create_builtin(self, clinic):
        """The clinic's checklist v1: the built-in items of RULES.md §3, published (Clinic.save calls it)."""
        version = self.create(clinic=clinic, number=1, published_at=timezone.now(), note=BUILTIN_NOTE)
        items = [
            ChecklistItem(
                version=version,
                key=item.key,
                section=item.section,
                wording=item.wording,
                order=order * 10,
                is_builtin=True,
            )
            for order, item in enumerate(SCREEN_ITEMS, start=1)
        ]
        bulk_create_with_history(items, ChecklistItem)
        return version

    def of_clinic(self, clinic):
        """The clinic's own versions (each clinic drafts and publishes its own checklist, issue 12)."""
        return self.filter(clinic=clinic)

    def current(self):
        """The newest published version: the one new visits are screened with."""
        return self.filter(published_at__isnull=False).order_by("-number").first()

    def draft(self):
        """The version being edited, if any (there is at most one)."""
        return self.filter(published_at__isnull=True).order_by("-number").first()


class ChecklistVersion(models.Model):
    """One published wording of a clinic's symptom screen; a visit records the version it was asked with.

    Versions without a clinic are the ones every clinic shared before each had its own (migration 0026): past
    visits keep pointing at them, so they show what was asked; no new visit uses them.
    """

    clinic = models.ForeignKey(
        "checklists.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="checklist_versions"
    )
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    note = models.CharField(max_length=200, blank=True)
    # Publishing with failing rule test cases needs an explicit confirmation, kept here.
    published_despite_failures = models.TextField(blank=True)
    history = AuditedHistory()

    objects = ChecklistVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "number"], name="checklist_version_number_per_clinic"),
            models.UniqueConstraint(
                fields=["number"], condition=models.Q(clinic__isnull=True), name="checklist_shared_version_number"
            ),
            # At most one draft per clinic: two admins starting a draft at once get the same one.
            models.UniqueConstraint(
                fields=["clinic"], condition=models.Q(published_at__isnull=True), name="checklist_one_draft_per_clinic"
            ),
        ]

    def __str__(self):
        return f"Checklist v{self.number}" + ("" if self.published_at else " (draft)")

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class ChecklistItem(models.Model):
    """A question of the screen. Built-in keys are the RULES.md §3 vocabulary the rules read."""

    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="items")
    key = models.SlugField(max_length=60)
    section = models.CharField(max_length=20, choices=SECTION_CHOICES)
    wording = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField()
    is_builtin = models.BooleanField(default=False)
    retired = models.BooleanField(default=False, help_text="A retired item is no longer asked at new visits.")
    # For items a clinic admin adds: the flag a "yes" raises (none when left empty).
    flag_tier = models.CharField(max_length=20, choices=STAFF_FLAG_TIERS, blank=True)
    flag_title = models.CharField(max_length=120, blank=True)
    flag_source = models.ForeignKey("checklists.Source", null=True, blank=True, on_delete=models.PROTECT)
    history = AuditedHistory()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="checklist_item_key_unique"),
            # "falls" and "FALLS" would raise one flag code, ITEM_FALLS (issue 10 review).
            models.UniqueConstraint(Lower("key"), "version", name="checklist_item_key_unique_ignoring_case"),
            # RULES.md §3: built-in items can be reworded and reordered, never removed.
            models.CheckConstraint(
                condition=~models.Q(is_builtin=True, retired=True), name="checklist_builtin_item_never_retired"
            ),
        ]

    def __str__(self):
        return self.wording

    def _key_taken_ignoring_case(self) -> bool:
        others = ChecklistItem.objects.filter(version_id=self.version_id, key__iexact=self.key)
        return others.exclude(pk=self.pk).exists()

    def clean(self):
        """The rules of an item, for the admin and every other caller of full_clean (the database backs the
        built-in one)."""
        errors = {}
        stored_key = ChecklistItem.objects.filter(pk=self.pk).values_list("key", flat=True).first() if self.pk else None
        if stored_key is not None and self.key != stored_key:
            errors["key"] = KEY_IS_FIXED
        elif stored_key is None and not self.is_builtin and self.key in SYMPTOM_KEYS:
            errors["key"] = BUILTIN_KEY.format(key=self.key)
        elif self.key and self.version_id and self._key_taken_ignoring_case():
            errors["key"] = KEY_TAKEN.format(key=self.key)
        if self.is_builtin and self.retired:
            errors["retired"] = BUILTIN_ITEM_KEPT.format(wording=self.wording or self.key, what="retired")
        if (self.flag_title or self.flag_source_id) and not self.flag_tier:
            errors["flag_tier"] = FLAG_NEEDS_TIER
        if errors:
            raise ValidationError(errors)
