"""Small builders for rules tests: Findings from short arguments, with exact decimals."""

from decimal import Decimal

from checklists.rules import AlbuminResult, AlpResult, CalciumResult, Findings


def calcium(value, unit="mmol/L", type="total", uln=None, lln=None, confirmed=None):
    """A calcium; a value in a soft-stop range is confirmed unless `confirmed` says otherwise (RULES.md §4.5)."""
    value = Decimal(value)
    if confirmed is None:
        from checklists.rules.units import CALCIUM_IONIZED, CALCIUM_TOTAL, unit_confirmation_needed

        confirmed = bool(unit_confirmation_needed(CALCIUM_IONIZED if type == "ionized" else CALCIUM_TOTAL, value, unit))
    return CalciumResult(
        value, unit, type, None if uln is None else Decimal(uln), None if lln is None else Decimal(lln), confirmed
    )


def albumin(value, unit="g/L"):
    return AlbuminResult(Decimal(value), unit)


def alp(value, uln=None, baseline=None):
    return AlpResult(
        Decimal(value), "U/L", None if uln is None else Decimal(uln), None if baseline is None else Decimal(baseline)
    )


def findings(*symptoms, **labs_and_more):
    return Findings(primary_cancer="breast", symptoms=frozenset(symptoms), **labs_and_more)
