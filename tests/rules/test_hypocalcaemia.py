"""CTCAE v5.0 hypocalcaemia at every boundary, both units and ionized, and its flag (RULES.md §4.6, §6, §7)."""

import pytest

from checklists.rules import Tier, evaluate
from checklists.rules.labs import BASIS_CORRECTED, BASIS_IONIZED, BASIS_UNCORRECTED

from .builders import albumin, calcium, findings

TIER_OF_GRADE = {0: None, 1: Tier.PROMPT_REVIEW, 2: Tier.PROMPT_REVIEW, 3: Tier.URGENT, 4: Tier.EMERGENCY}

# (value, grade) with the built-in LLN: 8.5 mg/dL, 2.15 mmol/L, 1.16 mmol/L ionized. Each band excludes its upper
# bound and includes its lower one; grades 2–4 are absolute cut-offs.
MG_DL = [
    ("10.0", 0),
    ("8.5", 0),
    ("8.4", 1),
    ("8.0", 1),
    ("7.9", 2),
    ("7.0", 2),
    ("6.9", 3),
    ("6.0", 3),
    ("5.9", 4),
    ("4.0", 4),
]
MMOL_L = [
    ("2.30", 0),
    ("2.15", 0),
    ("2.14", 1),
    ("2.00", 1),
    ("1.99", 2),
    ("1.75", 2),
    ("1.74", 3),
    ("1.50", 3),
    ("1.49", 4),
    ("1.00", 4),
]
IONIZED = [
    ("1.20", 0),
    ("1.16", 0),
    ("1.15", 1),
    ("1.00", 1),
    ("0.99", 2),
    ("0.90", 2),
    ("0.89", 3),
    ("0.80", 3),
    ("0.79", 4),
    ("0.25", 4),
]


def low_flag(evaluation):
    return next((flag for flag in evaluation.flags if flag.code == "HYPOCALCAEMIA_LAB"), None)


def check(evaluation, grade):
    assert evaluation.calcium.hypocalcaemia_grade == grade
    assert evaluation.calcium.ctcae_grade == 0  # never high and low at once
    raised = low_flag(evaluation)
    assert (raised.tier if raised else None) == TIER_OF_GRADE[grade]
    assert ("REVIEW_LOW_CALCIUM" in {r.code for r in evaluation.recommendations}) is (grade >= 1)


@pytest.mark.parametrize(("value", "grade"), MG_DL)
def test_corrected_total_in_mg_dl(value, grade):
    evaluation = evaluate(findings(calcium=calcium(value, "mg/dL"), albumin=albumin("4.0", "g/dL")))
    assert evaluation.calcium.basis == BASIS_CORRECTED
    check(evaluation, grade)


@pytest.mark.parametrize(("value", "grade"), MMOL_L)
def test_corrected_total_in_mmol_l(value, grade):
    evaluation = evaluate(findings(calcium=calcium(value, "mmol/L"), albumin=albumin("40", "g/L")))
    check(evaluation, grade)


@pytest.mark.parametrize(("value", "grade"), IONIZED)
def test_ionized(value, grade):
    evaluation = evaluate(findings(calcium=calcium(value, "mmol/L", "ionized")))
    assert evaluation.calcium.basis == BASIS_IONIZED
    check(evaluation, grade)


@pytest.mark.parametrize(("value", "grade"), MMOL_L)
def test_measured_total_when_albumin_is_missing(value, grade):
    """Decision (safety): graded as measured; with low albumin a false alarm, never a miss."""
    evaluation = evaluate(findings(calcium=calcium(value, "mmol/L")))
    assert evaluation.calcium.basis == BASIS_UNCORRECTED
    check(evaluation, grade)


@pytest.mark.parametrize(
    ("lln", "value", "grade"),
    [
        ("7.8", "7.9", 2),  # RULES.md §4.6's example: the LLN only moves where grade 1 begins
        ("7.8", "7.8", 2),
        ("8.0", "8.0", 0),  # an LLN at the grade-1 floor: grade 1 cannot occur
        ("8.0", "7.94", 2),
        ("8.0", "7.99", 0),  # graded rounded (RULES.md §4.2): 7.99 is 8.0 mg/dL
        ("8.8", "8.7", 1),
        ("8.8", "8.8", 0),
    ],
)
def test_the_lln_of_the_result_decides_only_where_grade_1_begins(lln, value, grade):
    evaluation = evaluate(findings(calcium=calcium(value, "mg/dL", lln=lln), albumin=albumin("4.0", "g/dL")))
    check(evaluation, grade)


def test_albumin_correction_applies_to_a_low_calcium_too():
    evaluation = evaluate(findings(calcium=calcium("7.6", "mg/dL"), albumin=albumin("3.0", "g/dL")))
    assert evaluation.calcium.graded.value == evaluation.calcium.corrected.value
    assert str(evaluation.calcium.corrected) == "8.4 mg/dL"
    check(evaluation, 1)


@pytest.mark.parametrize(
    ("built", "reason"),
    [
        (
            {"calcium": calcium("6.5", "mg/dL"), "albumin": albumin("4.0", "g/dL")},
            "Corrected calcium 6.5 mg/dL \u2014 CTCAE grade 3 hypocalcaemia (<7.0\u20136.0)",
        ),
        (
            {"calcium": calcium("1.40", "mmol/L")},
            "Total calcium 1.40 mmol/L (uncorrected: no albumin) \u2014 CTCAE grade 4 hypocalcaemia (<1.5)",
        ),
        (
            {"calcium": calcium("0.95", "mmol/L", "ionized")},
            "Ionized calcium 0.95 mmol/L \u2014 CTCAE grade 2 hypocalcaemia (<1.0\u20130.9)",
        ),
        (
            {"calcium": calcium("2.10", "mmol/L", lln="2.20"), "albumin": albumin("40", "g/L")},
            "Corrected calcium 2.10 mmol/L \u2014 CTCAE grade 1 hypocalcaemia (<LLN 2.20\u20132.0)",
        ),
    ],
)
def test_the_reason_names_the_value_the_basis_and_the_band(built, reason):
    assert low_flag(evaluate(findings(**built))).reason == reason


def test_the_flag_cites_ctcae_and_the_denosumab_label_and_recommends_a_review():
    evaluation = evaluate(findings(calcium=calcium("1.60", "mmol/L"), albumin=albumin("40", "g/L")))
    raised = low_flag(evaluation)
    assert (raised.title, raised.sources) == ("Low calcium (hypocalcaemia)", ("CTCAE-v5", "XGEVA-LABEL"))
    (action,) = [r for r in evaluation.recommendations if r.code == "REVIEW_LOW_CALCIUM"]
    assert action.satisfied is False and action.due == "same day" and action.sources == ("XGEVA-LABEL",)
