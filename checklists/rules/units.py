"""Lab units, conversions, default reference ranges and plausibility bounds (RULES.md §4.1, §4.5)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MG_DL = "mg/dL"
MMOL_L = "mmol/L"
G_DL = "g/dL"
G_L = "g/L"
U_L = "U/L"

TOTAL = "total"
IONIZED = "ionized"

CALCIUM_UNITS = (MG_DL, MMOL_L)
ALBUMIN_UNITS = (G_DL, G_L)
ALP_UNITS = (U_L,)
# "IU/L is the same unit" (RULES.md §4.1): accepted, stored as U/L.
UNIT_ALIASES = {"IU/L": U_L}

CALCIUM_MG_DL_PER_MMOL_L = Decimal("4.008")
ALBUMIN_G_L_PER_G_DL = Decimal("10")

# One step of the displayed precision per unit (RULES.md §4.2, §8).
PRECISION = {MG_DL: Decimal("0.1"), MMOL_L: Decimal("0.01"), G_DL: Decimal("0.1"), G_L: Decimal("1")}

# Analytes, as the app and the rules name them.
CALCIUM_TOTAL = "calcium_total"
CALCIUM_IONIZED = "calcium_ionized"
ALBUMIN = "albumin"
ALP = "alp"

ANALYTE_LABELS = {
    CALCIUM_TOTAL: "calcium",
    CALCIUM_IONIZED: "ionized calcium",
    ALBUMIN: "albumin",
    ALP: "ALP",
}

ANALYTE_UNITS = {
    CALCIUM_TOTAL: CALCIUM_UNITS,
    CALCIUM_IONIZED: (MMOL_L,),
    ALBUMIN: ALBUMIN_UNITS,
    ALP: ALP_UNITS,
}


@dataclass(frozen=True)
class Range:
    lower: Decimal
    upper: Decimal

    def __contains__(self, value: Decimal) -> bool:
        return self.lower <= value <= self.upper

    def __str__(self) -> str:
        return f"{fmt(self.lower)}\u2013{fmt(self.upper)}"


def _range(lower: str, upper: str) -> Range:
    return Range(Decimal(lower), Decimal(upper))


# Built-in default reference ranges (RULES.md §4.1), per analyte and unit.
DEFAULT_REFERENCE_RANGES = {
    (CALCIUM_TOTAL, MG_DL): _range("8.5", "10.2"),
    (CALCIUM_TOTAL, MMOL_L): _range("2.15", "2.55"),
    (CALCIUM_IONIZED, MMOL_L): _range("1.16", "1.32"),
    (ALBUMIN, G_DL): _range("3.5", "5.0"),
    (ALBUMIN, G_L): _range("35", "50"),
    (ALP, U_L): _range("44", "147"),
}

# Values outside these are typing or unit errors, not results (RULES.md §4.5).
PLAUSIBLE_RANGES = {
    (CALCIUM_TOTAL, MG_DL): _range("4.0", "25.0"),
    (CALCIUM_TOTAL, MMOL_L): _range("1.00", "6.25"),
    (CALCIUM_IONIZED, MMOL_L): _range("0.25", "3.0"),
    (ALBUMIN, G_DL): _range("1.0", "7.0"),
    (ALBUMIN, G_L): _range("10", "70"),
    (ALP, U_L): _range("1", "10000"),
}


@dataclass(frozen=True)
class SoftStop:
    """Values possible in the chosen unit that read as opposite emergencies in the other: confirm before use."""

    analyte: str
    unit: str
    lowest: Decimal  # inclusive
    highest: Decimal
    highest_included: bool
    message: str


# Decision (safety), RULES.md §4.5: confirm, don't guess, where a number reads as an emergency either way.
SOFT_STOPS = (
    SoftStop(
        CALCIUM_TOTAL,
        MG_DL,
        Decimal("4.0"),
        Decimal("6.25"),
        True,
        "{value} mg/dL is a severely LOW calcium; {value} mmol/L would be a life-threatening HIGH one. "
        "Confirm the unit.",
    ),
    SoftStop(
        CALCIUM_TOTAL,
        MMOL_L,
        Decimal("4.00"),
        Decimal("6.25"),
        True,
        "{value} mmol/L is an extreme calcium; did you mean {value} mg/dL? Confirm the unit.",
    ),
    SoftStop(
        CALCIUM_TOTAL,
        MMOL_L,
        Decimal("1.00"),
        Decimal("2.00"),
        False,
        "Total calcium {value} mmol/L is very low, and in the range of an IONIZED calcium. If this is an ionized "
        "result, choose ionized; otherwise confirm.",
    ),
)

UNKNOWN_UNIT = "unknown unit {unit!r} for {label}; expected {expected}"
NOT_PLAUSIBLE = "{value} {unit} is not a plausible {label} (plausible range {range} {unit})"
NOT_PLAUSIBLE_OTHER_UNIT = "{value} {unit} is not a plausible {label}; did you mean {value} {other_unit}?"
LIMIT_NOT_POSITIVE = "the {which} of the reference range must be positive"
LIMIT_NOT_PLAUSIBLE = "the {which} {value} {unit} is not plausible for {label} (plausible range {range} {unit})"
LIMIT_NOT_PLAUSIBLE_OTHER_UNIT = (
    "the {which} {value} {unit} is not plausible for {label}; did you mean {value} {other_unit}?"
)
LOWER_NOT_BELOW_UPPER = "the lower limit ({lower}) must be below the upper limit ({upper})"


def fmt(value: Decimal) -> str:
    """Format a decimal as staff would write it, never in exponent notation (1E+2)."""
    return format(value, "f")


def plain(value: Decimal | None) -> str:
    """Format a stored decimal as staff typed it: 2.700 -> "2.7", 100.000 -> "100" (never "1E+2")."""
    return "" if value is None else fmt(value.normalize())


def shown(value: Decimal | None, unit: str) -> str:
    """A value as every page shows it: at the unit's displayed precision (RULES.md §4.2), so one page never says
    3.40 in one place and 3.4 in another; a unit without one (U/L) as typed."""
    if value is None:
        return ""
    return fmt(round_to(value, unit)) if unit in PRECISION else plain(value)


def round_to(value: Decimal, unit: str) -> Decimal:
    """Round half up to the displayed precision of the unit (RULES.md §4.2)."""
    return value.quantize(PRECISION[unit], rounding=ROUND_HALF_UP)


def normalise_unit(unit: str) -> str:
    return UNIT_ALIASES.get(unit, unit)


def unit_error(analyte: str, unit: str) -> str | None:
    """Return why the unit does not fit the analyte, or None when it does."""
    expected = ANALYTE_UNITS[analyte]
    if normalise_unit(unit) in expected:
        return None
    return UNKNOWN_UNIT.format(unit=unit, label=ANALYTE_LABELS[analyte], expected=" or ".join(expected))


def _other_unit(analyte: str, unit: str) -> str | None:
    others = [u for u in ANALYTE_UNITS[analyte] if u != unit]
    return others[0] if others else None


def _unit_mix_up(analyte: str, value: Decimal, unit: str) -> str | None:
    """Return the other unit when the value is not plausible in its own but is in that one; else None.

    A value plausible in both (a calcium of 5.8) is accepted here; the soft stops below ask to confirm it.
    """
    other_unit = _other_unit(analyte, unit)
    if value in PLAUSIBLE_RANGES[(analyte, unit)] or other_unit is None:
        return None
    return other_unit if value in PLAUSIBLE_RANGES[(analyte, other_unit)] else None


def unit_confirmation_needed(analyte: str, value: Decimal, unit: str) -> str | None:
    """Return why this plausible value needs its unit confirmed before it is graded (a soft stop), or None."""
    unit = normalise_unit(unit)
    for stop in SOFT_STOPS:
        if stop.analyte != analyte or stop.unit != unit or value < stop.lowest:
            continue
        if value < stop.highest or (stop.highest_included and value == stop.highest):
            return stop.message.format(value=fmt(value))
    return None


def plausibility_error(analyte: str, value: Decimal, unit: str) -> str | None:
    """Return why the value cannot be a real result in that unit, or None when it is plausible."""
    unit = normalise_unit(unit)
    label = ANALYTE_LABELS[analyte]
    meant_unit = _unit_mix_up(analyte, value, unit)
    if meant_unit:
        return NOT_PLAUSIBLE_OTHER_UNIT.format(value=fmt(value), unit=unit, label=label, other_unit=meant_unit)
    bounds = PLAUSIBLE_RANGES[(analyte, unit)]
    if value in bounds:
        return None
    return NOT_PLAUSIBLE.format(value=fmt(value), unit=unit, label=label, range=bounds)


def limit_error(analyte: str, value: Decimal, unit: str, which: str = "upper limit") -> str | None:
    """Return why a reference-range limit is not plausible for the unit, or None.

    Decision: a limit must be positive and plausible as a result in the same unit, so a range typed in the
    other unit is caught ("did you mean") like a result.
    """
    unit = normalise_unit(unit)
    if value <= 0:
        return LIMIT_NOT_POSITIVE.format(which=which)
    label = ANALYTE_LABELS[analyte]
    meant_unit = _unit_mix_up(analyte, value, unit)
    if meant_unit:
        return LIMIT_NOT_PLAUSIBLE_OTHER_UNIT.format(
            which=which, value=fmt(value), unit=unit, label=label, other_unit=meant_unit
        )
    bounds = PLAUSIBLE_RANGES[(analyte, unit)]
    if value in bounds:
        return None
    return LIMIT_NOT_PLAUSIBLE.format(which=which, value=fmt(value), unit=unit, label=label, range=bounds)


def range_error(lower: Decimal, upper: Decimal) -> str | None:
    """Return why the range is not one, or None."""
    if lower < upper:
        return None
    return LOWER_NOT_BELOW_UPPER.format(lower=fmt(lower), upper=fmt(upper))


def calcium_mmol_l_to_mg_dl(value: Decimal) -> Decimal:
    """Convert for display only (RULES.md §4.1): never grade a converted value."""
    return round_to(value * CALCIUM_MG_DL_PER_MMOL_L, MG_DL)


def calcium_mg_dl_to_mmol_l(value: Decimal) -> Decimal:
    """Convert for display only (RULES.md §4.1): never grade a converted value."""
    return round_to(value / CALCIUM_MG_DL_PER_MMOL_L, MMOL_L)


def convert_calcium(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """Return the value in the other calcium unit, rounded for display."""
    if unit == MG_DL:
        return calcium_mg_dl_to_mmol_l(value), MMOL_L
    return calcium_mmol_l_to_mg_dl(value), MG_DL


def albumin_in(value: Decimal, unit: str, wanted_unit: str) -> Decimal:
    """Return an albumin value in g/dL or g/L, exactly (×10 or ÷10)."""
    if unit == wanted_unit:
        return value
    if wanted_unit == G_L:
        return value * ALBUMIN_G_L_PER_G_DL
    return value / ALBUMIN_G_L_PER_G_DL
