"""Mirels (MIRELS-1989) and SINS (SINS-2010) fracture-risk scores (RULES.md §5)."""

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import DataclassInstance  # the Mirels and SINS entries of findings.py

MIRELS_POINTS = {
    "site": {"upper_limb": 1, "lower_limb": 2, "peritrochanteric": 3},
    "pain": {"mild": 1, "moderate": 2, "functional": 3},
    "lesion": {"blastic": 1, "mixed": 2, "lytic": 3},
    "size": {"lt_1_3": 1, "1_3_to_2_3": 2, "gt_2_3": 3},
}

MIRELS_LABELS = {
    "upper_limb": "upper limb",
    "lower_limb": "lower limb",
    "peritrochanteric": "peritrochanteric",
    "mild": "mild",
    "moderate": "moderate",
    "functional": "functional",
    "blastic": "blastic",
    "mixed": "mixed",
    "lytic": "lytic",
    "lt_1_3": "< 1/3 of cortex",
    "1_3_to_2_3": "1/3\u20132/3 of cortex",
    "gt_2_3": "> 2/3 of cortex",
}

SINS_POINTS = {
    "location": {"junctional": 3, "mobile": 2, "semirigid": 1, "rigid": 0},
    "pain": {"mechanical": 3, "occasional_non_mechanical": 1, "pain_free": 0},
    "bone_lesion": {"lytic": 2, "mixed": 1, "blastic": 0},
    "alignment": {"subluxation_translation": 4, "de_novo_deformity": 2, "normal": 0},
    "collapse": {"gt_50": 3, "lt_50": 2, "no_collapse_gt_50_involved": 1, "none": 0},
    "posterolateral": {"bilateral": 3, "unilateral": 1, "none": 0},
}

SINS_LABELS = {
    "junctional": "junctional (occiput\u2013C2, C7\u2013T2, T11\u2013L1, L5\u2013S1)",
    "mobile": "mobile spine (C3\u2013C6, L2\u2013L4)",
    "semirigid": "semirigid (T3\u2013T10)",
    "rigid": "rigid (S2\u2013S5)",
    "mechanical": "mechanical pain",
    "occasional_non_mechanical": "occasional, non-mechanical pain",
    "pain_free": "pain-free lesion",
    "lytic": "lytic",
    "mixed": "mixed",
    "blastic": "blastic",
    "subluxation_translation": "subluxation / translation",
    "de_novo_deformity": "de novo deformity (kyphosis / scoliosis)",
    "normal": "normal alignment",
    "gt_50": "> 50% collapse",
    "lt_50": "< 50% collapse",
    "no_collapse_gt_50_involved": "no collapse, > 50% of body involved",
    "none": "none",
    "bilateral": "bilateral",
    "unilateral": "unilateral",
}

MIRELS_LOW = "low"
MIRELS_BORDERLINE = "borderline"
MIRELS_HIGH = "high"

SINS_STABLE = "stable"
SINS_POTENTIALLY_UNSTABLE = "potentially_unstable"
SINS_UNSTABLE = "unstable"

BAND_LABELS = {
    MIRELS_LOW: "low risk",
    MIRELS_BORDERLINE: "borderline",
    MIRELS_HIGH: "high risk",
    SINS_STABLE: "stable",
    SINS_POTENTIALLY_UNSTABLE: "potentially unstable",
    SINS_UNSTABLE: "unstable",
}


# The lowest and highest totals, from the point tables (computed once, when the module loads).
MIRELS_MIN = sum(min(points.values()) for points in MIRELS_POINTS.values())
MIRELS_MAX = sum(max(points.values()) for points in MIRELS_POINTS.values())
SINS_MIN = sum(min(points.values()) for points in SINS_POINTS.values())
SINS_MAX = sum(max(points.values()) for points in SINS_POINTS.values())

# Each band: (lowest total, highest total, band). Decision: a Mirels 8 is borderline (later summaries; the 1989
# paper advised fixation at 8 or more, as the help text says).
MIRELS_HIGH_FROM = 9
MIRELS_BANDS = (
    (MIRELS_MIN, MIRELS_HIGH_FROM - 2, MIRELS_LOW),
    (MIRELS_HIGH_FROM - 1, MIRELS_HIGH_FROM - 1, MIRELS_BORDERLINE),
    (MIRELS_HIGH_FROM, MIRELS_MAX, MIRELS_HIGH),
)
SINS_BANDS = (
    (SINS_MIN, 6, SINS_STABLE),
    (7, 12, SINS_POTENTIALLY_UNSTABLE),
    (13, SINS_MAX, SINS_UNSTABLE),
)
BANDS = {band: (low, high) for low, high, band in (*MIRELS_BANDS, *SINS_BANDS)}


@dataclass(frozen=True)
class Score:
    total: int
    band: str


def band_range(band: str) -> str:
    """The totals of a band as a clinician writes them: "13–18", or "8" for a one-total band."""
    low, high = BANDS[band]
    return str(low) if low == high else f"{low}\u2013{high}"


def bands_in_words(bands: tuple[tuple[int, int, str], ...]) -> str:
    """The bands of a score for a help text: "0–6 stable, 7–12 potentially unstable, 13–18 unstable"."""
    return ", ".join(f"{band_range(band)} {BAND_LABELS[band]}" for _low, _high, band in bands)


def _band(total: int, bands: tuple[tuple[int, int, str], ...]) -> str:
    return next(band for low, high, band in bands if low <= total <= high)


def _total(entry: "DataclassInstance", table: dict[str, dict[str, int]]) -> int:
    points: list[int] = [table[component.name][getattr(entry, component.name)] for component in fields(entry)]
    return sum(points)


def mirels(entry: "DataclassInstance") -> Score:
    """Return the Mirels total (4–12) and band: ≤ 7 low, 8 borderline, ≥ 9 high (MIRELS-1989)."""
    total = _total(entry, MIRELS_POINTS)
    return Score(total, _band(total, MIRELS_BANDS))


def sins(entry: "DataclassInstance") -> Score:
    """Return the SINS total (0–18) and band: 0–6 stable, 7–12 potentially unstable, 13–18 unstable."""
    total = _total(entry, SINS_POINTS)
    return Score(total, _band(total, SINS_BANDS))
