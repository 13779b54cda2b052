"""Implausible values and unit mix-ups are refused with a message that says why (RULES.md §4.5)."""

from decimal import Decimal

import pytest

from checklists.rules import AlbuminResult, AlpResult, CalciumResult, FindingsError
from checklists.rules.units import limit_error, plausibility_error, range_error


@pytest.mark.parametrize(
    ("analyte", "value", "unit"),
    [
        ("calcium_total", "6.26", "mg/dL"),
        ("calcium_total", "25.0", "mg/dL"),
        ("calcium_total", "0.50", "mmol/L"),
        ("calcium_total", "6.25", "mmol/L"),
        ("calcium_ionized", "0.25", "mmol/L"),
        ("calcium_ionized", "3.0", "mmol/L"),
        ("albumin", "0.5", "g/dL"),
        ("albumin", "7.0", "g/dL"),
        ("albumin", "7.1", "g/L"),
        ("albumin", "70", "g/L"),
        ("alp", "1", "U/L"),
        ("alp", "10000", "U/L"),
    ],
)
def test_values_at_the_plausible_bounds_are_accepted(analyte, value, unit):
    assert plausibility_error(analyte, Decimal(value), unit) is None


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "message"),
    [
        ("calcium_total", "250", "mg/dL", "250 mg/dL is not a plausible calcium (plausible range 2.0\u201325.0 mg/dL)"),
        (
            "calcium_total",
            "25.01",
            "mg/dL",
            "25.01 mg/dL is not a plausible calcium (plausible range 2.0\u201325.0 mg/dL)",
        ),
        (
            "calcium_total",
            "0.49",
            "mmol/L",
            "0.49 mmol/L is not a plausible calcium (plausible range 0.50\u20136.25 mmol/L)",
        ),
        (
            "calcium_ionized",
            "0.24",
            "mmol/L",
            "0.24 mmol/L is not a plausible ionized calcium (plausible range 0.25\u20133.0 mmol/L)",
        ),
        (
            "calcium_ionized",
            "3.1",
            "mmol/L",
            "3.1 mmol/L is not a plausible ionized calcium (plausible range 0.25\u20133.0 mmol/L)",
        ),
        ("albumin", "0.4", "g/dL", "0.4 g/dL is not a plausible albumin (plausible range 0.5\u20137.0 g/dL)"),
        ("albumin", "71", "g/L", "71 g/L is not a plausible albumin (plausible range 5\u201370 g/L)"),
        ("alp", "0", "U/L", "0 U/L is not a plausible ALP (plausible range 1\u201310000 U/L)"),
        ("alp", "10001", "U/L", "10001 U/L is not a plausible ALP (plausible range 1\u201310000 U/L)"),
    ],
)
def test_implausible_values_are_refused_with_the_range(analyte, value, unit, message):
    assert plausibility_error(analyte, Decimal(value), unit) == message


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "message"),
    [
        ("calcium_total", "2.6", "mg/dL", "2.6 mg/dL is not a plausible calcium; did you mean 2.6 mmol/L?"),
        # Decision (safety): a grade 4 mmol/L value typed as mg/dL must not pass as a 'normal' 3.5 mg/dL.
        ("calcium_total", "3.5", "mg/dL", "3.5 mg/dL is not a plausible calcium; did you mean 3.5 mmol/L?"),
        ("calcium_total", "6.25", "mg/dL", "6.25 mg/dL is not a plausible calcium; did you mean 6.25 mmol/L?"),
        ("calcium_total", "1.0", "mg/dL", "1.0 mg/dL is not a plausible calcium; did you mean 1.0 mmol/L?"),
        ("calcium_total", "10.4", "mmol/L", "10.4 mmol/L is not a plausible calcium; did you mean 10.4 mg/dL?"),
        ("albumin", "35", "g/dL", "35 g/dL is not a plausible albumin; did you mean 35 g/L?"),
        ("albumin", "3.5", "g/L", "3.5 g/L is not a plausible albumin; did you mean 3.5 g/dL?"),
        ("albumin", "7.0", "g/L", "7.0 g/L is not a plausible albumin; did you mean 7.0 g/dL?"),
    ],
)
def test_a_value_that_fits_the_other_unit_says_did_you_mean(analyte, value, unit, message):
    assert plausibility_error(analyte, Decimal(value), unit) == message


def test_findings_refuse_an_implausible_calcium_and_name_the_field():
    with pytest.raises(FindingsError) as refused:
        CalciumResult(Decimal("250"), "mg/dL")
    assert refused.value.field == "value"
    assert "not a plausible calcium" in refused.value.message


@pytest.mark.parametrize(
    ("build", "field", "fragment"),
    [
        (
            lambda: CalciumResult(Decimal("2.5"), "mg"),
            "unit",
            "unknown unit 'mg' for calcium; expected mg/dL or mmol/L",
        ),
        (lambda: CalciumResult(Decimal("1.2"), "mg/dL", "ionized"), "unit", "ionized calcium is graded in mmol/L only"),
        (lambda: CalciumResult(Decimal("2.5"), "mmol/L", "free"), "type", "expected total or ionized"),
        (lambda: CalciumResult(2.5, "mmol/L"), "value", "never a float"),
        (lambda: CalciumResult(Decimal("NaN"), "mmol/L"), "value", "must be a Decimal"),
        (lambda: CalciumResult(Decimal("2.5"), "mmol/L", uln=Decimal("0")), "uln", "must be positive"),
        (lambda: CalciumResult(Decimal("2.5"), "mmol/L", uln=Decimal("-1")), "uln", "must be positive"),
        (lambda: CalciumResult(Decimal("9.5"), "mg/dL", uln=Decimal("2.55")), "uln", "did you mean 2.55 mmol/L?"),
        (lambda: AlbuminResult(Decimal("35"), "g/dl"), "unit", "expected g/dL or g/L"),
        (
            lambda: AlpResult(Decimal("100"), "U/L", baseline_value=Decimal("0")),
            "baseline_value",
            "not a plausible ALP",
        ),
        (lambda: AlpResult(Decimal("100"), "mmol/L"), "unit", "expected U/L"),
    ],
)
def test_findings_refuse_bad_input(build, field, fragment):
    with pytest.raises(FindingsError) as refused:
        build()
    assert refused.value.field == field
    assert fragment in refused.value.message


def test_iu_per_litre_is_the_same_unit_as_u_per_litre():
    assert AlpResult(Decimal("100"), "IU/L").unit == "U/L"


def test_reference_limits_are_checked_like_results():
    assert limit_error("alp", Decimal("147"), "U/L") is None
    assert limit_error("alp", Decimal("0"), "U/L") == "the upper limit of the reference range must be positive"
    assert limit_error("albumin", Decimal("500"), "g/L", "lower limit") == (
        "the lower limit 500 g/L is not plausible for albumin (plausible range 5\u201370 g/L)"
    )


def test_lower_limit_must_be_below_upper():
    assert range_error(Decimal("2.15"), Decimal("2.55")) is None
    assert (
        range_error(Decimal("2.55"), Decimal("2.55")) == "the lower limit (2.55) must be below the upper limit (2.55)"
    )
