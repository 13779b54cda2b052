"""Corrected calcium (PAYNE) and CTCAE v5.0 hypercalcaemia grades at every boundary, both units, ionized."""

from decimal import Decimal

import pytest

from checklists.rules import Tier, evaluate
from checklists.rules.labs import (
    BASIS_CORRECTED,
    BASIS_IONIZED,
    BASIS_UNCORRECTED,
    assess_calcium,
    corrected_calcium,
)

from .builders import albumin, calcium, findings


def flag(evaluation, code):
    return next((f for f in evaluation.flags if f.code == code), None)


def test_two_seventy_plus_point_two_is_exactly_two_ninety_and_grade_1():
    """2.70 + 0.02 × (40 − 30) is 2.90 exactly: the top of grade 1, not a binary-float grade 2."""
    assessment = assess_calcium(calcium("2.70"), albumin("30"))
    assert assessment.corrected.value == Decimal("2.90")
    assert str(assessment.corrected.value) == "2.90"
    assert assessment.ctcae_grade == 1
    assert 2.70 + 0.02 * (40 - 30) > 2.9  # the float mistake this guards against


@pytest.mark.parametrize(
    ("value", "albumin_value", "albumin_unit", "expected"),
    [
        ("9.1", "4.2", "g/dL", "8.9"),  # 9.1 − 0.16 = 8.94
        ("12.1", "3.4", "g/dL", "12.6"),  # 12.1 + 0.48 = 12.58
        ("10.0", "30", "g/L", "10.8"),  # albumin converted to 3.0 g/dL
        ("10.5", "5.0", "g/dL", "9.7"),  # high albumin lowers the value (formula as written)
        ("11.4", "3.9375", "g/dL", "11.5"),  # 11.45 rounds half up
        ("10.0", "4.0", "g/dL", "10.0"),
    ],
)
def test_corrected_calcium_in_mg_dl(value, albumin_value, albumin_unit, expected):
    corrected = corrected_calcium(calcium(value, "mg/dL"), albumin(albumin_value, albumin_unit))
    assert corrected.value == Decimal(expected)
    assert corrected.unit == "mg/dL"


@pytest.mark.parametrize(
    ("value", "albumin_value", "albumin_unit", "expected"),
    [
        ("2.48", "31", "g/L", "2.66"),
        ("3.05", "35", "g/L", "3.15"),
        ("2.40", "3.0", "g/dL", "2.60"),  # albumin converted to 30 g/L
        ("2.60", "50", "g/L", "2.40"),  # high albumin lowers the value
        ("2.90", "39.75", "g/L", "2.91"),  # 2.905 rounds half up (half-even would give 2.90)
        ("2.895", "40", "g/L", "2.90"),
    ],
)
def test_corrected_calcium_in_mmol_l(value, albumin_value, albumin_unit, expected):
    corrected = corrected_calcium(calcium(value, "mmol/L"), albumin(albumin_value, albumin_unit))
    assert corrected.value == Decimal(expected)
    assert corrected.unit == "mmol/L"


MG_DL_GRADES = [
    ("10.2", 0),
    ("10.3", 1),
    ("11.5", 1),
    ("11.6", 2),
    ("12.5", 2),
    ("12.6", 3),
    ("13.5", 3),
    ("13.6", 4),
    ("20.0", 4),
    ("8.0", 0),
]
MMOL_L_GRADES = [
    ("2.55", 0),
    ("2.56", 1),
    ("2.90", 1),
    ("2.91", 2),
    ("3.10", 2),
    ("3.11", 3),
    ("3.40", 3),
    ("3.41", 4),
    ("4.50", 4),
    ("2.20", 0),
]
IONIZED_GRADES = [
    ("1.32", 0),
    ("1.33", 1),
    ("1.50", 1),
    ("1.51", 2),
    ("1.60", 2),
    ("1.61", 3),
    ("1.80", 3),
    ("1.81", 4),
    ("1.10", 0),
]
TIER_OF_GRADE = {0: None, 1: Tier.PROMPT_REVIEW, 2: Tier.PROMPT_REVIEW, 3: Tier.URGENT, 4: Tier.EMERGENCY}


@pytest.mark.parametrize(("value", "grade"), MG_DL_GRADES)
def test_corrected_grade_mg_dl_boundaries(value, grade):
    """Each band excludes its lower bound and includes its upper bound; ULN 10.2 is grade 0."""
    evaluation = evaluate(findings(calcium=calcium(value, "mg/dL"), albumin=albumin("4.0", "g/dL")))
    assert evaluation.calcium.ctcae_grade == grade
    assert evaluation.calcium.basis == BASIS_CORRECTED
    raised = flag(evaluation, "HYPERCALCAEMIA_LAB")
    assert (raised.tier if raised else None) == TIER_OF_GRADE[grade]


@pytest.mark.parametrize(("value", "grade"), MMOL_L_GRADES)
def test_corrected_grade_mmol_l_boundaries(value, grade):
    evaluation = evaluate(findings(calcium=calcium(value, "mmol/L"), albumin=albumin("40", "g/L")))
    assert evaluation.calcium.ctcae_grade == grade
    raised = flag(evaluation, "HYPERCALCAEMIA_LAB")
    assert (raised.tier if raised else None) == TIER_OF_GRADE[grade]


@pytest.mark.parametrize(("value", "grade"), IONIZED_GRADES)
def test_ionized_grade_boundaries(value, grade):
    """Ionized calcium is graded as measured on its own scale, with no correction even if albumin is known."""
    evaluation = evaluate(findings(calcium=calcium(value, "mmol/L", "ionized"), albumin=albumin("25")))
    assert evaluation.calcium.ctcae_grade == grade
    assert evaluation.calcium.basis == BASIS_IONIZED
    assert evaluation.calcium.corrected is None
    assert evaluation.calcium.corrected_converted is None
    assert flag(evaluation, "CORRECTED_CALCIUM_NOT_COMPUTABLE") is None
    raised = flag(evaluation, "HYPERCALCAEMIA_LAB")
    assert (raised.tier if raised else None) == TIER_OF_GRADE[grade]


@pytest.mark.parametrize(("value", "grade"), [("2.20", 0), ("2.56", 1), ("2.95", 2), ("3.2", 3), ("3.5", 4)])
def test_grade_on_the_reported_scale_never_a_converted_value(value, grade):
    """Grading follows the mmol/L scale even though 11.5 mg/dL converts to 2.87, not 2.9, mmol/L."""
    assert assess_calcium(calcium(value), albumin("40")).ctcae_grade == grade


def test_value_between_converted_and_mmol_cutoff_stays_grade_1():
    """2.88 mmol/L is above 11.5 mg/dL converted (2.87) but still grade 1 on the mmol/L scale."""
    assert assess_calcium(calcium("2.88"), albumin("40")).ctcae_grade == 1


@pytest.mark.parametrize(
    ("value", "unit", "grade", "tier"),
    [
        ("10.2", "mg/dL", 0, None),
        ("10.9", "mg/dL", 1, Tier.PROMPT_REVIEW),
        ("14.0", "mg/dL", 4, Tier.EMERGENCY),
        ("3.5", "mmol/L", 4, Tier.EMERGENCY),
        ("2.56", "mmol/L", 1, Tier.PROMPT_REVIEW),
    ],
)
def test_missing_albumin_grades_the_measured_total(value, unit, grade, tier):
    """Without albumin there is no corrected value, but a high measured total is never hidden."""
    evaluation = evaluate(findings(calcium=calcium(value, unit)))
    assert evaluation.calcium.basis == BASIS_UNCORRECTED
    assert evaluation.calcium.corrected is None
    assert evaluation.calcium.ctcae_grade == grade
    raised = flag(evaluation, "HYPERCALCAEMIA_LAB")
    assert (raised.tier if raised else None) == tier
    assert flag(evaluation, "CORRECTED_CALCIUM_NOT_COMPUTABLE").tier == Tier.ROUTINE


def test_missing_albumin_reason_names_the_value():
    evaluation = evaluate(findings(calcium=calcium("10.9", "mg/dL")))
    assert "Total calcium 10.9 mg/dL" in flag(evaluation, "HYPERCALCAEMIA_LAB").reason
    assert "without an albumin result" in flag(evaluation, "CORRECTED_CALCIUM_NOT_COMPUTABLE").reason


def test_high_albumin_can_bring_a_high_total_below_the_uln():
    evaluation = evaluate(findings(calcium=calcium("10.5", "mg/dL"), albumin=albumin("5.0", "g/dL")))
    assert evaluation.calcium.corrected.value == Decimal("9.7")
    assert evaluation.calcium.ctcae_grade == 0
    assert evaluation.flags == ()


@pytest.mark.parametrize(("value", "uln", "grade"), [("2.60", "2.62", 0), ("2.63", "2.62", 1), ("2.60", None, 1)])
def test_reported_uln_sets_the_start_of_grade_1(value, uln, grade):
    assert assess_calcium(calcium(value, uln=uln), albumin("40")).ctcae_grade == grade


def test_a_high_uln_cannot_hide_grade_2_to_4():
    """Grades 2–4 are absolute cut-offs: an odd ULN only moves the grade 0/1 boundary."""
    assert assess_calcium(calcium("13.6", "mg/dL", uln="13.0"), albumin("4.0", "g/dL")).ctcae_grade == 4


@pytest.mark.parametrize(
    ("value", "unit", "albumin_value", "converted", "converted_unit"),
    [
        ("2.90", "mmol/L", "40", "11.6", "mg/dL"),
        ("12.1", "mg/dL", "34", "3.14", "mmol/L"),
        ("9.1", "mg/dL", "42", "2.22", "mmol/L"),
        ("2.48", "mmol/L", "31", "10.7", "mg/dL"),
    ],
)
def test_corrected_value_is_also_shown_in_the_other_unit(value, unit, albumin_value, converted, converted_unit):
    assessment = assess_calcium(calcium(value, unit), albumin(albumin_value, "g/L"))
    assert assessment.corrected_converted.value == Decimal(converted)
    assert assessment.corrected_converted.unit == converted_unit


def test_hypercalcaemia_reason_names_value_grade_and_band():
    evaluation = evaluate(findings(calcium=calcium("12.1", "mg/dL"), albumin=albumin("3.4", "g/dL")))
    assert (
        flag(evaluation, "HYPERCALCAEMIA_LAB").reason
        == "Corrected calcium 12.6 mg/dL \u2014 CTCAE grade 3 (>12.5\u201313.5)"
    )


def test_ionized_reason_says_ionized():
    evaluation = evaluate(findings(calcium=calcium("1.7", "mmol/L", "ionized")))
    assert flag(evaluation, "HYPERCALCAEMIA_LAB").reason.startswith("Ionized calcium 1.70 mmol/L")


def test_no_calcium_means_no_calcium_assessment():
    assert evaluate(findings(albumin=albumin("30"))).calcium is None
