"""Small builders for rules tests: Findings from short arguments, with exact decimals."""

from decimal import Decimal

from checklists.rules import AlbuminResult, AlpResult, CalciumResult, Findings


def calcium(value, unit="mmol/L", type="total", uln=None):
    return CalciumResult(Decimal(value), unit, type, None if uln is None else Decimal(uln))


def albumin(value, unit="g/L"):
    return AlbuminResult(Decimal(value), unit)


def alp(value, uln=None, baseline=None):
    return AlpResult(
        Decimal(value), "U/L", None if uln is None else Decimal(uln), None if baseline is None else Decimal(baseline)
    )


def findings(*symptoms, **labs_and_more):
    return Findings(primary_cancer="breast", symptoms=frozenset(symptoms), **labs_and_more)
