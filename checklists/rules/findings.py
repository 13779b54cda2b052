"""What the engine is told about a visit: frozen dataclasses that refuse impossible values on creation.

A `Findings` that exists is one the engine can grade: units fit, values are plausible (RULES.md §4.5) and
every word is from the vocabulary. `FindingsError.field` names the offending field, relative to the object.
"""

from collections.abc import Collection
from dataclasses import dataclass, field, fields
from decimal import Decimal

from . import scores, units, vocabulary
from .tiers import Tier


class FindingsError(ValueError):
    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message

    def within(self, prefix: str) -> "FindingsError":
        """Return the same error with its field named from an enclosing object."""
        return FindingsError(f"{prefix}.{self.field}", self.message)


NOT_A_DECIMAL = "must be a Decimal (never a float: 2.7 + 0.2 must be exactly 2.9)"
LLN_NOT_BELOW_ULN = "the lower limit (LLN) {lln} must be below the upper limit (ULN) {uln}"
ULN_NOT_ABOVE_LLN = "the upper limit (ULN) {uln} must be above the lower limit (LLN) {lln}"
UNKNOWN_WORD = "unknown {what} {word!r}"
IONIZED_ONLY_MMOL = "ionized calcium is graded in mmol/L only (as CTCAE gives it)"
UNKNOWN_CALCIUM_TYPE = "unknown calcium type {value!r}; expected total or ionized"


def _decimal(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise FindingsError(name, NOT_A_DECIMAL)
    number = Decimal(value)
    if not number.is_finite():
        raise FindingsError(name, NOT_A_DECIMAL)
    return number


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


def _check_unit(analyte: str, unit: str) -> str:
    error = units.unit_error(analyte, unit)
    if error:
        raise FindingsError("unit", error)
    return units.normalise_unit(unit)


def _check_value(analyte: str, value: object, unit: str) -> Decimal:
    number = _decimal("value", value)
    error = units.plausibility_error(analyte, number, unit)
    if error:
        raise FindingsError("value", error)
    return number


LIMIT_NAMES = {"uln": "upper limit (ULN)", "lln": "lower limit (LLN)"}


def _check_limit(analyte: str, name: str, value: object, unit: str) -> Decimal | None:
    if value is None:
        return None
    limit = _decimal(name, value)
    error = units.limit_error(analyte, limit, unit, which=LIMIT_NAMES.get(name, name))
    if error:
        raise FindingsError(name, error)
    return limit


@dataclass(frozen=True)
class CalciumResult:
    """A serum calcium; `uln` / `lln` None mean the built-in defaults of RULES.md §4.1.

    `unit_confirmed`: the person entering it confirmed the unit of a value that reads as an emergency in both
    units (a soft stop, RULES.md §4.5); without it such a value is refused.
    """

    value: Decimal
    unit: str
    type: str = units.TOTAL
    uln: Decimal | None = None
    lln: Decimal | None = None
    unit_confirmed: bool = False

    def __post_init__(self) -> None:
        if self.type not in (units.TOTAL, units.IONIZED):
            raise FindingsError("type", UNKNOWN_CALCIUM_TYPE.format(value=self.type))
        if self.type == units.IONIZED and self.unit != units.MMOL_L:
            raise FindingsError("unit", IONIZED_ONLY_MMOL)
        unit = _check_unit(self.analyte, self.unit)
        _set(self, "unit", unit)
        value = _check_value(self.analyte, self.value, unit)
        _set(self, "value", value)
        soft_stop = units.unit_confirmation_needed(self.analyte, value, unit)
        if soft_stop and self.unit_confirmed is not True:
            raise FindingsError("value", soft_stop)
        _set(self, "uln", _check_limit(self.analyte, "uln", self.uln, unit))
        _set(self, "lln", _check_limit(self.analyte, "lln", self.lln, unit))
        if self.lower_limit >= self.upper_limit:
            lln, uln = units.fmt(self.lower_limit), units.fmt(self.upper_limit)
            if self.lln is None:  # the ULN given sits below the default LLN: name what was typed
                raise FindingsError("uln", ULN_NOT_ABOVE_LLN.format(lln=lln, uln=uln))
            raise FindingsError("lln", LLN_NOT_BELOW_ULN.format(lln=lln, uln=uln))

    @property
    def analyte(self) -> str:
        return units.CALCIUM_IONIZED if self.type == units.IONIZED else units.CALCIUM_TOTAL

    @property
    def upper_limit(self) -> Decimal:
        return self.uln if self.uln is not None else units.DEFAULT_REFERENCE_RANGES[(self.analyte, self.unit)].upper

    @property
    def lower_limit(self) -> Decimal:
        return self.lln if self.lln is not None else units.DEFAULT_REFERENCE_RANGES[(self.analyte, self.unit)].lower


@dataclass(frozen=True)
class AlbuminResult:
    value: Decimal
    unit: str

    def __post_init__(self) -> None:
        unit = _check_unit(units.ALBUMIN, self.unit)
        _set(self, "unit", unit)
        _set(self, "value", _check_value(units.ALBUMIN, self.value, unit))


@dataclass(frozen=True)
class AlpResult:
    """An alkaline phosphatase; `baseline_value` is the patient's baseline ALP when known (RULES.md §4.4)."""

    value: Decimal
    unit: str = units.U_L
    uln: Decimal | None = None
    baseline_value: Decimal | None = None

    def __post_init__(self) -> None:
        unit = _check_unit(units.ALP, self.unit)
        _set(self, "unit", unit)
        _set(self, "value", _check_value(units.ALP, self.value, unit))
        _set(self, "uln", _check_limit(units.ALP, "uln", self.uln, unit))
        if self.baseline_value is not None:
            try:
                _set(self, "baseline_value", _check_value(units.ALP, self.baseline_value, unit))
            except FindingsError as error:
                raise FindingsError("baseline_value", error.message) from None

    @property
    def upper_limit(self) -> Decimal:
        return self.uln if self.uln is not None else units.DEFAULT_REFERENCE_RANGES[(units.ALP, self.unit)].upper


def _check_components(entry: "MirelsEntry | SinsEntry", table: dict[str, dict[str, int]]) -> None:
    for component in fields(entry):
        word = getattr(entry, component.name)
        if word not in table[component.name]:
            expected = ", ".join(table[component.name])
            raise FindingsError(
                component.name,
                UNKNOWN_WORD.format(what=component.name.replace("_", " "), word=word) + f"; expected {expected}",
            )


@dataclass(frozen=True)
class MirelsEntry:
    site: str
    pain: str
    lesion: str
    size: str

    def __post_init__(self) -> None:
        _check_components(self, scores.MIRELS_POINTS)


@dataclass(frozen=True)
class SinsEntry:
    location: str
    pain: str
    bone_lesion: str
    alignment: str
    collapse: str
    posterolateral: str

    def __post_init__(self) -> None:
        _check_components(self, scores.SINS_POINTS)


@dataclass(frozen=True)
class StaffItem:
    """A checklist item a clinic admin added: answered yes, it raises the flag the admin gave it."""

    key: str
    wording: str
    tier: str
    title: str
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.key in vocabulary.SYMPTOM_KEYS:
            raise FindingsError("key", f"{self.key!r} is a built-in item; a staff item needs a key of its own")
        if self.tier not in {tier.value for tier in Tier} - {Tier.NONE.value}:
            raise FindingsError("tier", UNKNOWN_WORD.format(what="tier", word=self.tier))


def _frozen_words(obj: object, name: str, allowed: Collection[str], what: str) -> None:
    words = frozenset(getattr(obj, name))
    for word in sorted(words):
        if word not in allowed:
            raise FindingsError(
                f"{name}.{word}" if name == "symptoms" else name, UNKNOWN_WORD.format(what=what, word=word)
            )
    _set(obj, name, words)


@dataclass(frozen=True)
class Findings:
    """Everything the rules look at for one visit. `symptoms` holds the keys answered yes."""

    primary_cancer: str = "other"
    known_sites: frozenset[str] = field(default_factory=frozenset)
    symptoms: frozenset[str] = field(default_factory=frozenset)
    medications: frozenset[str] = field(default_factory=frozenset)
    imaging_ordered: frozenset[str] = field(default_factory=frozenset)
    calcium: CalciumResult | None = None
    albumin: AlbuminResult | None = None
    alp: AlpResult | None = None
    mirels: MirelsEntry | None = None
    sins: SinsEntry | None = None
    # Staff items answered yes (they raise their own flags); built-in items go in `symptoms`.
    staff_items: tuple[StaffItem, ...] = ()

    def __post_init__(self) -> None:
        if not vocabulary.is_primary_cancer(self.primary_cancer):
            raise FindingsError("primary_cancer", UNKNOWN_WORD.format(what="primary cancer", word=self.primary_cancer))
        _frozen_words(self, "known_sites", vocabulary.KNOWN_SITES, "site")
        _frozen_words(self, "symptoms", vocabulary.SYMPTOM_KEYS, "symptom")
        _frozen_words(self, "imaging_ordered", vocabulary.IMAGING_MODALITIES, "imaging modality")
        _set(self, "medications", frozenset(vocabulary.normalise_medication(m) for m in self.medications))

    @property
    def antiresorptives(self) -> frozenset[str]:
        return self.medications & frozenset(vocabulary.ANTIRESORPTIVES)
