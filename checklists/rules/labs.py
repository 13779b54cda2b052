"""Corrected calcium (PAYNE) and the CTCAE v5.0 grades of calcium and ALP (RULES.md §4.2–4.4)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import units
from .findings import AlbuminResult, AlpResult, CalciumResult

BASIS_CORRECTED = "corrected_total"
BASIS_UNCORRECTED = "uncorrected_total_albumin_missing"
BASIS_IONIZED = "ionized"

REFERENCE_ULN = "ULN"
REFERENCE_BASELINE = "baseline"

# Lower bounds (exclusive) of CTCAE grades 2, 3 and 4, on the scale of the reported unit. Grade 1 starts
# above the ULN. Decision (safety): grades 2–4 are absolute cut-offs, so an odd ULN can only move the
# grade 0 / 1 boundary and never hide a grade 2–4 calcium.
HYPERCALCAEMIA_CUTOFFS = {
    (units.TOTAL, units.MG_DL): (Decimal("11.5"), Decimal("12.5"), Decimal("13.5")),
    (units.TOTAL, units.MMOL_L): (Decimal("2.9"), Decimal("3.1"), Decimal("3.4")),
    (units.IONIZED, units.MMOL_L): (Decimal("1.5"), Decimal("1.6"), Decimal("1.8")),
}

# Multiples of the reference for ALP grades 2, 3 and 4 (exclusive lower bounds).
ALP_MULTIPLES = (Decimal("2.5"), Decimal("5.0"), Decimal("20.0"))
# With an abnormal baseline, grade 1 starts at (inclusive) 2.0 × baseline.
ALP_BASELINE_GRADE_1 = Decimal("2.0")

CORRECTION = {
    # unit of the calcium: (slope, albumin reference, albumin unit)
    units.MG_DL: (Decimal("0.8"), Decimal("4.0"), units.G_DL),
    units.MMOL_L: (Decimal("0.02"), Decimal("40"), units.G_L),
}


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str

    def __str__(self) -> str:
        return f"{units.fmt(self.value)} {self.unit}"


@dataclass(frozen=True)
class CalciumAssessment:
    graded: Quantity  # the value the grade was taken from
    corrected: Quantity | None
    corrected_converted: Quantity | None
    ctcae_grade: int
    basis: str
    uln: Decimal
    band: str  # the grade's band in words, "" for grade 0


@dataclass(frozen=True)
class AlpAssessment:
    ctcae_grade: int
    ratio: Decimal
    reference: str  # ULN or baseline
    reference_value: Decimal
    band: str


def corrected_calcium(calcium: CalciumResult, albumin: AlbuminResult) -> Quantity:
    """Return albumin-adjusted total calcium in the calcium's own unit, rounded half up (PAYNE, RULES.md §4.2).

    mg/dL: Ca + 0.8 × (4.0 − albumin g/dL); mmol/L: Ca + 0.02 × (40 − albumin g/L). Exact decimals; only the
    albumin is converted. Applied as written when albumin is high (the value then goes down).
    """
    slope, reference, albumin_unit = CORRECTION[calcium.unit]
    albumin_value = units.albumin_in(albumin.value, albumin.unit, albumin_unit)
    exact = calcium.value + slope * (reference - albumin_value)
    return Quantity(units.round_to(exact, calcium.unit), calcium.unit)


def hypercalcaemia_grade(value: Decimal, uln: Decimal, calcium_type: str, unit: str) -> tuple[int, str]:
    """Return the CTCAE v5.0 hypercalcaemia grade and its band; each band excludes its lower bound."""
    grade_2, grade_3, grade_4 = HYPERCALCAEMIA_CUTOFFS[(calcium_type, unit)]
    if value > grade_4:
        return 4, f">{units.fmt(grade_4)}"
    if value > grade_3:
        return 3, f">{units.fmt(grade_3)}\u2013{units.fmt(grade_4)}"
    if value > grade_2:
        return 2, f">{units.fmt(grade_2)}\u2013{units.fmt(grade_3)}"
    if value > uln:
        return 1, f">ULN {units.fmt(uln)}\u2013{units.fmt(grade_2)}"
    return 0, ""


def assess_calcium(calcium: CalciumResult | None, albumin: AlbuminResult | None) -> CalciumAssessment | None:
    """Grade the visit's calcium: corrected total, else measured total (albumin missing), else ionized."""
    if calcium is None:
        return None
    corrected = corrected_converted = None
    if calcium.type == units.IONIZED:
        basis = BASIS_IONIZED
        graded = Quantity(calcium.value, calcium.unit)
    elif albumin is None:
        # Decision (safety): no corrected value, but grade the measured total so a high value is never hidden.
        basis = BASIS_UNCORRECTED
        graded = Quantity(calcium.value, calcium.unit)
    else:
        basis = BASIS_CORRECTED
        corrected = graded = corrected_calcium(calcium, albumin)
        corrected_converted = Quantity(*units.convert_calcium(corrected.value, corrected.unit))
    grade, band = hypercalcaemia_grade(graded.value, calcium.upper_limit, calcium.type, calcium.unit)
    return CalciumAssessment(graded, corrected, corrected_converted, grade, basis, calcium.upper_limit, band)


def _alp_band(grade: int, reference: str) -> str:
    bounds = {
        1: ">1.0\u20132.5" if reference == REFERENCE_ULN else "\u22652.0\u20132.5",
        2: ">2.5\u20135.0",
        3: ">5.0\u201320.0",
        4: ">20.0",
    }
    return f"{bounds[grade]} \u00d7 {reference}" if grade else ""


def assess_alp(alp: AlpResult | None) -> AlpAssessment | None:
    """Grade ALP against the ULN, or against an abnormal baseline (baseline > ULN) (CTCAE-v5, RULES.md §4.4).

    Decision: grades compare the value with exact multiples of the reference (value > 2.5 × ULN), so
    rounding the displayed ratio can never change a grade.
    """
    if alp is None:
        return None
    uln = alp.upper_limit
    baseline_abnormal = alp.baseline_value is not None and alp.baseline_value > uln
    reference_value = alp.baseline_value if baseline_abnormal else uln
    reference = REFERENCE_BASELINE if baseline_abnormal else REFERENCE_ULN
    grade_2, grade_3, grade_4 = (multiple * reference_value for multiple in ALP_MULTIPLES)
    if alp.value > grade_4:
        grade = 4
    elif alp.value > grade_3:
        grade = 3
    elif alp.value > grade_2:
        grade = 2
    elif baseline_abnormal:
        grade = 1 if alp.value >= ALP_BASELINE_GRADE_1 * reference_value else 0
    else:
        grade = 1 if alp.value > reference_value else 0
    ratio = (alp.value / reference_value).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    return AlpAssessment(grade, ratio, reference, reference_value, _alp_band(grade, reference))
