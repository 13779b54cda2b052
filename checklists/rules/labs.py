"""Corrected calcium (PAYNE) and the CTCAE v5.0 grades of calcium, high and low, and ALP (RULES.md §4.2–4.6)."""

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

# Upper bounds (exclusive) of CTCAE hypocalcaemia grades 1, 2 and 3, on the scale of the reported unit: grade 1
# is [8.0, LLN), grade 2 [7.0, 8.0), grade 3 [6.0, 7.0), grade 4 below 6.0 (mg/dL). As for hypercalcaemia,
# grades 2–4 are absolute and the LLN only decides where grade 1 begins (RULES.md §4.6).
HYPOCALCAEMIA_CUTOFFS = {
    (units.TOTAL, units.MG_DL): (Decimal("8.0"), Decimal("7.0"), Decimal("6.0")),
    (units.TOTAL, units.MMOL_L): (Decimal("2.0"), Decimal("1.75"), Decimal("1.5")),
    (units.IONIZED, units.MMOL_L): (Decimal("1.0"), Decimal("0.9"), Decimal("0.8")),
}

# Multiples of the reference for ALP grades 2, 3 and 4 (exclusive lower bounds).
ALP_MULTIPLES = (Decimal("2.5"), Decimal("5.0"), Decimal("20.0"))
# Grade 1 starts above 1.0 × ULN, or, with an abnormal baseline, at (inclusive) 2.0 × baseline.
ALP_ULN_GRADE_1 = Decimal("1.0")
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
    graded: Quantity  # the value both grades were taken from, rounded (RULES.md §4.2)
    corrected: Quantity | None
    corrected_converted: Quantity | None
    ctcae_grade: int  # hypercalcaemia
    basis: str
    uln: Decimal
    band: str  # the hypercalcaemia grade's band in words, "" for grade 0
    hypocalcaemia_grade: int = 0
    hypocalcaemia_band: str = ""
    lln: Decimal | None = None


@dataclass(frozen=True)
class AlpAssessment:
    ctcae_grade: int
    ratio: Decimal
    reference: str  # ULN or baseline
    reference_value: Decimal
    band: str


def calcium_grade_in_words(ctcae_grade: int, hypocalcaemia_grade: int) -> str:
    """What a calcium's grades say, for the pages: "CTCAE grade 3 hypercalcaemia", "... hypocalcaemia", or none."""
    if hypocalcaemia_grade:
        return f"CTCAE grade {hypocalcaemia_grade} hypocalcaemia"
    if ctcae_grade:
        return f"CTCAE grade {ctcae_grade} hypercalcaemia"
    return "Within the reference range (CTCAE grade 0)"


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


def hypocalcaemia_grade(value: Decimal, lln: Decimal, calcium_type: str, unit: str) -> tuple[int, str]:
    """Return the CTCAE v5.0 hypocalcaemia grade and its band; each band excludes its upper bound."""
    grade_1_floor, grade_2_floor, grade_3_floor = HYPOCALCAEMIA_CUTOFFS[(calcium_type, unit)]
    if value < grade_3_floor:
        return 4, f"<{units.fmt(grade_3_floor)}"
    if value < grade_2_floor:
        return 3, f"<{units.fmt(grade_2_floor)}\u2013{units.fmt(grade_3_floor)}"
    if value < grade_1_floor:
        return 2, f"<{units.fmt(grade_1_floor)}\u2013{units.fmt(grade_2_floor)}"
    if value < lln:
        return 1, f"<LLN {units.fmt(lln)}\u2013{units.fmt(grade_1_floor)}"
    return 0, ""


def assess_calcium(calcium: CalciumResult | None, albumin: AlbuminResult | None) -> CalciumAssessment | None:
    """Grade the visit's calcium, high and low: corrected total, else measured total (albumin missing), else
    ionized. Every one is rounded to the displayed precision before grading (RULES.md §4.2)."""
    if calcium is None:
        return None
    corrected = corrected_converted = None
    if calcium.type == units.IONIZED:
        basis = BASIS_IONIZED
        graded = Quantity(units.round_to(calcium.value, calcium.unit), calcium.unit)
    elif albumin is None:
        # Decision (safety): no corrected value, but grade the measured total so a high or low value is never
        # hidden (with low albumin a low total overstates the fall: a false alarm rather than a miss).
        basis = BASIS_UNCORRECTED
        graded = Quantity(units.round_to(calcium.value, calcium.unit), calcium.unit)
    else:
        basis = BASIS_CORRECTED
        corrected = graded = corrected_calcium(calcium, albumin)
        corrected_converted = Quantity(*units.convert_calcium(corrected.value, corrected.unit))
    grade, band = hypercalcaemia_grade(graded.value, calcium.upper_limit, calcium.type, calcium.unit)
    low_grade, low_band = hypocalcaemia_grade(graded.value, calcium.lower_limit, calcium.type, calcium.unit)
    return CalciumAssessment(
        graded,
        corrected,
        corrected_converted,
        grade,
        basis,
        calcium.upper_limit,
        band,
        low_grade,
        low_band,
        calcium.lower_limit,
    )


def _alp_band(grade: int, reference: str) -> str:
    """The grade's band in multiples of its reference: ">2.5–5.0 × ULN", "≥2.0–2.5 × baseline"."""
    if not grade:
        return ""
    baseline = reference == REFERENCE_BASELINE
    bounds = (ALP_BASELINE_GRADE_1 if baseline else ALP_ULN_GRADE_1, *ALP_MULTIPLES)
    if grade == 4:
        text = f">{units.fmt(bounds[3])}"
    else:
        start = "\u2265" if grade == 1 and baseline else ">"
        text = f"{start}{units.fmt(bounds[grade - 1])}\u2013{units.fmt(bounds[grade])}"
    return f"{text} \u00d7 {reference}"


def assess_alp(alp: AlpResult | None) -> AlpAssessment | None:
    """Grade ALP against the ULN, or against an abnormal baseline (baseline > ULN) (CTCAE-v5, RULES.md §4.4).

    Decision: grades compare the value with exact multiples of the reference (value > 2.5 × ULN), so
    rounding the displayed ratio can never change a grade.
    """
    if alp is None:
        return None
    uln, baseline = alp.upper_limit, alp.baseline_value
    baseline_abnormal = baseline is not None and baseline > uln
    reference_value = baseline if baseline is not None and baseline_abnormal else uln
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
