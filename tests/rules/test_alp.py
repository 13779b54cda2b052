"""CTCAE v5.0 "Alkaline phosphatase increased", against the ULN or an abnormal baseline."""

from decimal import Decimal

import pytest

from checklists.rules import Tier, evaluate
from checklists.rules.labs import REFERENCE_BASELINE, REFERENCE_ULN, assess_alp

from .builders import alp, findings


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("100", 0),
        ("101", 1),
        ("250", 1),
        ("251", 2),
        ("500", 2),
        ("501", 3),
        ("2000", 3),
        ("2001", 4),
        ("44", 0),
    ],
)
def test_grades_against_the_uln(value, grade):
    assessment = assess_alp(alp(value, uln="100"))
    assert assessment.ctcae_grade == grade
    assert assessment.reference == REFERENCE_ULN


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("300", 0),  # above the ULN but under 2.0 × baseline: grade 0
        ("399", 0),
        ("400", 1),  # 2.0 × baseline is included in grade 1
        ("500", 1),
        ("501", 2),
        ("1000", 2),
        ("1001", 3),
        ("4000", 3),
        ("4001", 4),
    ],
)
def test_grades_against_an_abnormal_baseline(value, grade):
    assessment = assess_alp(alp(value, uln="100", baseline="200"))
    assert assessment.ctcae_grade == grade
    assert assessment.reference == REFERENCE_BASELINE


@pytest.mark.parametrize("baseline", ["80", "100"])
def test_a_normal_baseline_uses_the_uln(baseline):
    """A baseline at or below the ULN is normal: grade against the ULN."""
    assessment = assess_alp(alp("150", uln="100", baseline=baseline))
    assert assessment.reference == REFERENCE_ULN
    assert assessment.ctcae_grade == 1


def test_abnormal_baseline_below_twice_means_no_flag():
    assert evaluate(findings(alp=alp("300", uln="100", baseline="200"))).flags == ()


def test_default_uln_is_147():
    assert assess_alp(alp("147")).ctcae_grade == 0
    assert assess_alp(alp("148")).ctcae_grade == 1


@pytest.mark.parametrize(
    ("value", "uln", "ratio"),
    [
        ("75", "147", "0.510"),
        ("520", "130", "4.000"),
        ("1", "16", "0.063"),
        ("5", "8", "0.625"),
    ],
)
def test_ratio_has_three_decimals_rounded_half_up(value, uln, ratio):
    assert assess_alp(alp(value, uln=uln)).ratio == Decimal(ratio)


@pytest.mark.parametrize(("value", "flagged"), [("147", False), ("148", True), ("9000", True)])
def test_any_grade_raises_alp_elevated_for_prompt_review(value, flagged):
    evaluation = evaluate(findings(alp=alp(value)))
    codes = {f.code: f.tier for f in evaluation.flags}
    assert ("ALP_ELEVATED" in codes) is flagged
    if flagged:
        assert codes["ALP_ELEVATED"] == Tier.PROMPT_REVIEW


def test_alp_reason_names_value_reference_and_grade():
    (flag,) = evaluate(findings(alp=alp("520", uln="130"))).flags
    assert flag.reason == "ALP 520 U/L = 4.000 \u00d7 ULN (130 U/L) \u2014 CTCAE grade 2 (>2.5\u20135.0 \u00d7 ULN)"
