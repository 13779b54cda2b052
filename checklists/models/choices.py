"""Choices for model and form fields, built from the rules vocabulary so the two never drift apart."""

from django.db import models

from checklists.rules import scores, units, vocabulary
from checklists.rules.tiers import Tier


def _labelled(keys, labels=None):
    labels = labels or {}
    return [(key, labels.get(key, key.replace("_", " ").capitalize())) for key in keys]


PRIMARY_CANCER_CHOICES = _labelled(vocabulary.PRIMARY_CANCERS, {"other": "Other (name it)"})
KNOWN_SITE_CHOICES = _labelled(
    vocabulary.KNOWN_SITES,
    {"spine_cervical": "Cervical spine", "spine_thoracic": "Thoracic spine", "spine_lumbar": "Lumbar spine"},
)
BONE_AGENT_CHOICES = [("", "None")] + _labelled(vocabulary.ANTIRESORPTIVES)
IMAGING_CHOICES = _labelled(
    vocabulary.IMAGING_MODALITIES, {"xray": "X-ray", "ct": "CT", "mri": "MRI", "pet": "PET", "bone_scan": "Bone scan"}
)
SECTION_CHOICES = [(section.key, section.title) for section in vocabulary.SECTIONS]
TIER_CHOICES = [(tier.value, tier.label) for tier in Tier]
ANALYTE_CHOICES = [
    (units.CALCIUM_TOTAL, "Calcium (total)"),
    (units.CALCIUM_IONIZED, "Calcium (ionized)"),
    (units.ALBUMIN, "Albumin"),
    (units.ALP, "ALP"),
]
LAB_UNIT_CHOICES = [(unit, unit) for unit in (units.MG_DL, units.MMOL_L, units.G_DL, units.G_L, units.U_L)]

MIRELS_CHOICES = {
    component: [(word, scores.MIRELS_LABELS[word]) for word in words]
    for component, words in scores.MIRELS_POINTS.items()
}
SINS_CHOICES = {
    component: [(word, scores.SINS_LABELS[word]) for word in words] for component, words in scores.SINS_POINTS.items()
}


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not recorded"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_ASKED = "not_asked", "Not asked"


class ImagingUrgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent (within 24 hours)"
    EMERGENCY = "emergency", "Emergency (now)"


class ImagingStatus(models.TextChoices):
    ORDERED = "ordered", "Ordered"
    BOOKED = "booked", "Booked"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class VisitStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETE = "complete", "Complete"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    REVIEWED = "reviewed", "Reviewed"
    # An earlier "known and stable until" review covers it: off the worklist, but nobody reviewed it anew.
    CARRIED_OVER = "carried_over", "Known and stable (carried over)"
    # An edit stopped it firing: who, when and why are kept, and it stays on the visit's record.
    WITHDRAWN = "withdrawn", "Withdrawn after an edit"


class ReviewAction(models.TextChoices):
    MSCC_COORDINATOR = "mscc_coordinator", "Contacted the MSCC coordinator"
    ONCOLOGY_TEAM = "oncology_team", "Contacted the oncology team"
    IMAGING_ORDERED = "imaging_ordered", "Imaging ordered"
    ADMITTED = "admitted", "Admitted"
    SEEN_IN_CLINIC = "seen_in_clinic", "Seen in clinic"
    PATIENT_ADVISED = "patient_advised", "Patient advised"
    OTHER = "other", "Other"
    KNOWN_STABLE = "known_stable", "Known and stable (carried over)"


class ScoreKind(models.TextChoices):
    MIRELS = "mirels", "Mirels"
    SINS = "sins", "SINS"
