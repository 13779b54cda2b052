"""Implausible values and unit mix-ups are refused with a message that says why (RULES.md §4.5)."""

from decimal import Decimal

import pytest

from checklists.rules import AlbuminResult, AlpResult, CalciumResult, FindingsError
from checklists.rules.units import limit_error, plausibility_error, range_error, unit_confirmation_needed


@pytest.mark.parametrize(
    ("analyte", "value", "unit"),
    [
        ("calcium_total", "4.0", "mg/dL"),
        ("calcium_total", "25.0", "mg/dL"),
        ("calcium_total", "1.00", "mmol/L"),
        ("calcium_total", "6.25", "mmol/L"),
        ("calcium_ionized", "0.25", "mmol/L"),
        ("calcium_ionized", "3.0", "mmol/L"),
        ("albumin", "1.0", "g/dL"),
        ("albumin", "7.0", "g/dL"),
        ("albumin", "10", "g/L"),
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
        ("calcium_total", "250", "mg/dL", "250 mg/dL is not a plausible calcium (plausible range 4.0\u201325.0 mg/dL)"),
        (
            "calcium_total",
            "25.01",
            "mg/dL",
            "25.01 mg/dL is not a plausible calcium (plausible range 4.0\u201325.0 mg/dL)",
        ),
        (
            "calcium_total",
            "0.99",
            "mmol/L",
            "0.99 mmol/L is not a plausible calcium (plausible range 1.00\u20136.25 mmol/L)",
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
        ("albumin", "0.9", "g/dL", "0.9 g/dL is not a plausible albumin (plausible range 1.0\u20137.0 g/dL)"),
        ("albumin", "71", "g/L", "71 g/L is not a plausible albumin (plausible range 10\u201370 g/L)"),
        ("alp", "0", "U/L", "0 U/L is not a plausible ALP (plausible range 1\u201310000 U/L)"),
        ("alp", "10001", "U/L", "10001 U/L is not a plausible ALP (plausible range 1\u201310000 U/L)"),
    ],
)
def test_implausible_values_are_refused_with_the_range(analyte, value, unit, message):
    assert plausibility_error(analyte, Decimal(value), unit) == message


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "message"),
    [
        # RULES.md §4.5's own examples.
        ("calcium_total", "10.5", "mmol/L", "10.5 mmol/L is not a plausible calcium; did you mean 10.5 mg/dL?"),
        ("calcium_total", "3.5", "mg/dL", "3.5 mg/dL is not a plausible calcium; did you mean 3.5 mmol/L?"),
        ("albumin", "6", "g/L", "6 g/L is not a plausible albumin; did you mean 6 g/dL?"),
        ("calcium_total", "2.6", "mg/dL", "2.6 mg/dL is not a plausible calcium; did you mean 2.6 mmol/L?"),
        ("calcium_total", "3.99", "mg/dL", "3.99 mg/dL is not a plausible calcium; did you mean 3.99 mmol/L?"),
        ("calcium_total", "1.0", "mg/dL", "1.0 mg/dL is not a plausible calcium; did you mean 1.0 mmol/L?"),
        ("calcium_total", "6.26", "mmol/L", "6.26 mmol/L is not a plausible calcium; did you mean 6.26 mg/dL?"),
        ("albumin", "35", "g/dL", "35 g/dL is not a plausible albumin; did you mean 35 g/L?"),
        ("albumin", "3.5", "g/L", "3.5 g/L is not a plausible albumin; did you mean 3.5 g/dL?"),
        ("albumin", "7.0", "g/L", "7.0 g/L is not a plausible albumin; did you mean 7.0 g/dL?"),
    ],
)
def test_a_value_that_fits_the_other_unit_says_did_you_mean(analyte, value, unit, message):
    assert plausibility_error(analyte, Decimal(value), unit) == message


LOW_MG_DL = "{v} mg/dL is a severely LOW calcium; {v} mmol/L would be a life-threatening HIGH one. Confirm the unit."
EXTREME_MMOL_L = "{v} mmol/L is an extreme calcium; did you mean {v} mg/dL? Confirm the unit."
IONIZED_AS_TOTAL = (
    "Total calcium {v} mmol/L is very low, and in the range of an IONIZED calcium. If this is an ionized result, "
    "choose ionized; otherwise confirm."
)


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "message"),
    [
        ("calcium_total", "4.0", "mg/dL", LOW_MG_DL),
        ("calcium_total", "5.8", "mg/dL", LOW_MG_DL),
        ("calcium_total", "6.25", "mg/dL", LOW_MG_DL),
        ("calcium_total", "6.26", "mg/dL", None),
        ("calcium_total", "16.0", "mg/dL", None),  # an ordinary severe hypercalcaemia: no question
        ("calcium_total", "3.99", "mmol/L", None),
        ("calcium_total", "4.00", "mmol/L", EXTREME_MMOL_L),
        ("calcium_total", "5.0", "mmol/L", EXTREME_MMOL_L),
        ("calcium_total", "6.25", "mmol/L", EXTREME_MMOL_L),
        ("calcium_total", "1.00", "mmol/L", IONIZED_AS_TOTAL),
        ("calcium_total", "1.90", "mmol/L", IONIZED_AS_TOTAL),
        ("calcium_total", "1.99", "mmol/L", IONIZED_AS_TOTAL),
        ("calcium_total", "2.00", "mmol/L", None),
        ("calcium_ionized", "1.90", "mmol/L", None),
        ("albumin", "5.8", "g/dL", None),
        ("alp", "5", "U/L", None),
    ],
)
def test_soft_stops_ask_to_confirm_a_unit_that_reads_as_an_emergency_either_way(analyte, value, unit, message):
    expected = message.format(v=value) if message else None
    assert unit_confirmation_needed(analyte, Decimal(value), unit) == expected


def test_an_unconfirmed_soft_stop_is_refused_naming_the_value_and_a_confirmed_one_is_graded():
    with pytest.raises(FindingsError) as refused:
        CalciumResult(Decimal("5.8"), "mg/dL")
    assert refused.value.field == "value"
    assert refused.value.message == LOW_MG_DL.format(v="5.8")
    confirmed = CalciumResult(Decimal("5.8"), "mg/dL", unit_confirmed=True)
    assert confirmed.value == Decimal("5.8") and confirmed.unit_confirmed is True


def test_an_lln_not_below_the_uln_is_refused_naming_the_limit_typed():
    with pytest.raises(FindingsError) as refused:
        CalciumResult(Decimal("2.40"), "mmol/L", lln=Decimal("2.60"), uln=Decimal("2.55"))
    assert refused.value.field == "lln"
    assert refused.value.message == "the lower limit (LLN) 2.60 must be below the upper limit (ULN) 2.55"
    with pytest.raises(FindingsError) as refused:
        CalciumResult(Decimal("2.40"), "mmol/L", uln=Decimal("2.10"))
    assert refused.value.field == "uln"
    assert refused.value.message == "the upper limit (ULN) 2.10 must be above the lower limit (LLN) 2.15"


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
        "the lower limit 500 g/L is not plausible for albumin (plausible range 10\u201370 g/L)"
    )


def test_lower_limit_must_be_below_upper():
    assert range_error(Decimal("2.15"), Decimal("2.55")) is None
    assert (
        range_error(Decimal("2.55"), Decimal("2.55")) == "the lower limit (2.55) must be below the upper limit (2.55)"
    )
