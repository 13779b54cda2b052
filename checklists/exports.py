"""A clinic's visits as rows for CSV: one row per visit, read in chunks so memory stays flat."""

from django.db.models import Prefetch

from .models import Flag, Visit
from .models.choices import FlagStatus
from .selectors import UNASKED_FLOOR

VISIT_COLUMNS = (
    "mrn",
    "family_name",
    "given_name",
    "visit_date",
    "status",
    "voided",
    "tier",
    "safety_questions_not_asked",
    "flag_codes",
    "calcium",
    "calcium_unit",
    "calcium_type",
    "albumin",
    "albumin_unit",
    "alp",
    "alp_unit",
    "corrected_calcium",
    "corrected_calcium_unit",
    "corrected_calcium_converted",
    "corrected_calcium_converted_unit",
    "calcium_ctcae_grade",
    "calcium_basis",
    "alp_ctcae_grade",
    "alp_ratio",
    "alp_reference",
    "imaging",
    "mirels",
    "sins",
    "seen_by",
    "rules_version",
)
CHUNK = 500


# A cell a spreadsheet would read as a formula starts with one of these (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell that Excel or LibreOffice shows as text, never runs: text that could start a formula gets a
    leading apostrophe (OWASP). Numbers are left alone; quoting is the csv module's job."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _lab(labs: dict, *analytes) -> list:
    """[value, unit] of the first of these results the visit has; two empty cells without one."""
    for analyte in analytes:
        if analyte in labs:
            lab = labs[analyte]
            return [format(lab.value.normalize(), "f"), lab.unit]
    return ["", ""]


def _quantity(value) -> list:
    return [value["value"], value["unit"]] if value else ["", ""]


def visit_row(visit) -> list:
    labs = {lab.analyte: lab for lab in visit.lab_results.all()}
    calcium, alp = visit.evaluation.get("calcium") or {}, visit.evaluation.get("alp") or {}
    scores = {score.kind: f"{score.total} ({score.band})" for score in visit.scores.all()}
    voided = (
        f"Voided by {visit.voided_by} on {visit.voided_at:%Y-%m-%d %H:%M}: {visit.void_reason}"
        if visit.voided_at
        else ""
    )
    row = [
        visit.patient.mrn,
        visit.patient.family_name,
        visit.patient.given_name,
        visit.visit_date.isoformat(),
        visit.status,
        voided,
        # A draft's "none" is not "No flags": its screen is not complete (issue 11).
        "draft: screen not complete" if visit.status == "draft" and visit.tier == "none" else visit.tier,
        visit.unasked_floor,
        " ".join(flag.code for flag in visit.flags.all()),
        *_lab(labs, "calcium_total", "calcium_ionized"),
        "ionized" if "calcium_ionized" in labs else ("total" if "calcium_total" in labs else ""),
        *_lab(labs, "albumin"),
        *_lab(labs, "alp"),
        *_quantity(calcium.get("corrected")),
        *_quantity(calcium.get("corrected_converted")),
        calcium.get("ctcae_grade", ""),
        calcium.get("basis", ""),
        alp.get("ctcae_grade", ""),
        alp.get("ratio", ""),
        alp.get("reference", ""),
        "; ".join(f"{order.modality}: {order.region} ({order.urgency})" for order in visit.imaging_orders.all()),
        scores.get("mirels", ""),
        scores.get("sins", ""),
        str(visit.seen_by),
        visit.rules_version,
    ]
    return [spreadsheet_safe(cell) for cell in row]


def visit_rows(clinic, header=None):
    """Yield the header, then one row per visit of the clinic, oldest first."""
    if header:
        yield [spreadsheet_safe(cell) for cell in header]
    visits = (
        Visit.objects.filter(clinic=clinic)
        .select_related("patient", "seen_by", "voided_by")
        .annotate(unasked_floor=UNASKED_FLOOR)
        .prefetch_related(
            "lab_results",
            "imaging_orders",
            "scores",
            Prefetch("flags", queryset=Flag.objects.exclude(status=FlagStatus.WITHDRAWN).order_by("code")),
        )
        .order_by("visit_date", "pk")
    )
    for visit in visits.iterator(chunk_size=CHUNK):
        yield visit_row(visit)
