"""The JSON face of the engine (RULES.md §8): a findings document in, an evaluation document out.

Every refusal is a `FindingsError` whose field is the dotted path in the document ("labs.calcium.unit"),
so the command can print one line that names it.
"""

import difflib
import json
from collections.abc import Collection, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn, TypeVar

from . import vocabulary
from .engine import Evaluation, evaluate
from .findings import (
    AlbuminResult,
    AlpResult,
    CalciumResult,
    Findings,
    FindingsError,
    MirelsEntry,
    SinsEntry,
    StaffItem,
)
from .labs import Quantity

NOT_JSON = "not valid JSON ({detail})"
NOT_AN_OBJECT = "must be a JSON object"
NOT_A_LIST = "must be a list"
NOT_A_STRING = "must be a string"
NOT_A_BOOLEAN = "must be true or false"
NOT_A_NUMBER = 'must be a number or a decimal string such as "2.71"'
UNKNOWN_KEY = "unknown key{hint}; expected one of: {expected}"
REQUIRED = "is required"

TOP_KEYS = (
    "primary_cancer",
    "known_sites",
    "symptoms",
    "medications",
    "imaging_ordered",
    "labs",
    "mirels",
    "sins",
    "notes",
)
LAB_KEYS = {
    "calcium": ("value", "unit", "type", "uln", "lln", "unit_confirmed"),
    "albumin": ("value", "unit"),
    "alp": ("value", "unit", "uln", "baseline_value"),
}
Lab = TypeVar("Lab", CalciumResult, AlbuminResult, AlpResult)
ScoreEntry = TypeVar("ScoreEntry", MirelsEntry, SinsEntry)
REQUIRED_LAB_KEYS = ("value", "unit")


def _path(prefix: str, key: str) -> str:
    """Name a member of an object; odd keys are quoted so the error stays on one line."""
    plain = key.isascii() and key.replace("_", "a").isalnum()
    name = key if plain else json.dumps(key)
    if not prefix:
        return name
    return f"{prefix}.{name}" if plain else f"{prefix}[{name}]"


def _hint(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _object(path: str, value: object, allowed: Collection[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FindingsError(path, NOT_AN_OBJECT)
    for key in value:
        if key not in allowed:
            raise FindingsError(
                _path(path, key), UNKNOWN_KEY.format(hint=_hint(key, allowed), expected=", ".join(allowed))
            )
    return value


def _strings(path: str, value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FindingsError(path, NOT_A_LIST)
    for position, item in enumerate(value):
        if not isinstance(item, str):
            raise FindingsError(f"{path}[{position}]", NOT_A_STRING)
    return value


def _number(path: str, value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            raise FindingsError(path, NOT_A_NUMBER) from None
    if isinstance(value, bool) or not isinstance(value, Decimal) or not value.is_finite():
        raise FindingsError(path, NOT_A_NUMBER)
    return value


def _symptoms(value: object, staff_keys: frozenset[str] = frozenset()) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, dict):
        raise FindingsError("symptoms", NOT_AN_OBJECT)
    present: set[str] = set()
    for key, answer in value.items():
        if key not in vocabulary.SYMPTOM_KEYS and key not in staff_keys:
            raise FindingsError(
                _path("symptoms", key),
                f"unknown symptom{_hint(key, vocabulary.SYMPTOM_KEYS)}; expected a key of RULES.md section 3",
            )
        if not isinstance(answer, bool):
            raise FindingsError(_path("symptoms", key), NOT_A_BOOLEAN)
        if answer:
            present.add(key)
    return frozenset(present)


def _lab(name: str, value: object, lab_type: type[Lab]) -> Lab | None:
    if value is None:
        return None
    path = f"labs.{name}"
    value = _object(path, value, LAB_KEYS[name])
    for key in REQUIRED_LAB_KEYS:
        if value.get(key) is None:
            raise FindingsError(f"{path}.{key}", REQUIRED)
    arguments: dict[str, Any] = {}
    for key, raw in value.items():
        if key in ("unit", "type"):
            if not isinstance(raw, str):
                raise FindingsError(f"{path}.{key}", NOT_A_STRING)
            arguments[key] = raw
        elif key == "unit_confirmed":
            if not isinstance(raw, bool):
                raise FindingsError(f"{path}.{key}", NOT_A_BOOLEAN)
            arguments[key] = raw
        elif raw is not None:
            arguments[key] = _number(f"{path}.{key}", raw)
    try:
        return lab_type(**arguments)
    except FindingsError as error:
        raise error.within(path) from None


def _entry(name: str, value: object, entry_type: type[ScoreEntry]) -> ScoreEntry | None:
    if value is None:
        return None
    components = tuple(entry_type.__dataclass_fields__)
    value = _object(name, value, components)
    for key in components:
        if not isinstance(value.get(key), str):
            raise FindingsError(f"{name}.{key}", REQUIRED if key not in value else NOT_A_STRING)
    try:
        return entry_type(**value)
    except FindingsError as error:
        raise error.within(name) from None


def findings_from_document(
    document: object, staff_items: Iterable[StaffItem] = (), asked: Collection[str] | None = None
) -> Findings:
    """Return the Findings a parsed JSON document describes, or raise FindingsError naming the field.

    `staff_items` are the clinic's own items (their keys are accepted as symptoms); `asked`, when given, is the
    set of keys a checklist version asks: a yes to an item it does not ask cannot be recorded, so it is dropped.
    """
    if not isinstance(document, dict):
        raise FindingsError("document", NOT_AN_OBJECT)
    _object("", document, TOP_KEYS)
    if "primary_cancer" not in document:
        raise FindingsError("primary_cancer", REQUIRED)
    if not isinstance(document["primary_cancer"], str):
        raise FindingsError("primary_cancer", NOT_A_STRING)
    notes = document.get("notes")
    if notes is not None and not isinstance(notes, str):
        raise FindingsError("notes", NOT_A_STRING)
    labs = document.get("labs") or {}
    _object("labs", labs, tuple(LAB_KEYS))
    staff = {item.key: item for item in staff_items}
    yes = _symptoms(document.get("symptoms"), frozenset(staff))
    if asked is not None:
        yes = yes & frozenset(asked)
    return Findings(
        primary_cancer=document["primary_cancer"],
        known_sites=frozenset(_strings("known_sites", document.get("known_sites"))),
        symptoms=yes - frozenset(staff),
        staff_items=tuple(staff[key] for key in sorted(yes & frozenset(staff))),
        medications=frozenset(_strings("medications", document.get("medications"))),
        imaging_ordered=frozenset(_strings("imaging_ordered", document.get("imaging_ordered"))),
        calcium=_lab("calcium", labs.get("calcium"), CalciumResult),
        albumin=_lab("albumin", labs.get("albumin"), AlbuminResult),
        alp=_lab("alp", labs.get("alp"), AlpResult),
        mirels=_entry("mirels", document.get("mirels"), MirelsEntry),
        sins=_entry("sins", document.get("sins"), SinsEntry),
    )


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number")


def parse(text: str) -> object:
    """Parse JSON text with every number as an exact Decimal; NaN and Infinity are refused."""
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise FindingsError("document", NOT_JSON.format(detail=error)) from None


def _number_out(value: Decimal | None) -> float | None:
    # The values are already rounded to their displayed precision, so the float prints them exactly.
    return None if value is None else float(value)


def _quantity_out(quantity: Quantity | None) -> dict[str, object] | None:
    return None if quantity is None else {"value": _number_out(quantity.value), "unit": quantity.unit}


def evaluation_to_document(evaluation: Evaluation) -> dict[str, Any]:
    """Return the evaluation as the output document of RULES.md §8."""
    calcium = evaluation.calcium
    alp = evaluation.alp
    return {
        "rules_version": evaluation.rules_version,
        "visit_tier": str(evaluation.visit_tier),
        "flags": [
            {
                "code": flag.code,
                "tier": str(flag.tier),
                "title": flag.title,
                "reason": flag.reason,
                "sources": list(flag.sources),
            }
            for flag in evaluation.flags
        ],
        "calcium": None
        if calcium is None
        else {
            "corrected": _quantity_out(calcium.corrected),
            "corrected_converted": _quantity_out(calcium.corrected_converted),
            "ctcae_grade": calcium.ctcae_grade,
            "hypocalcaemia_grade": calcium.hypocalcaemia_grade,
            "basis": calcium.basis,
        },
        "alp": None
        if alp is None
        else {
            "ctcae_grade": alp.ctcae_grade,
            "ratio": _number_out(alp.ratio),
            "reference": alp.reference,
        },
        "mirels": None
        if evaluation.mirels is None
        else {
            "total": evaluation.mirels.total,
            "band": evaluation.mirels.band,
        },
        "sins": None if evaluation.sins is None else {"total": evaluation.sins.total, "band": evaluation.sins.band},
        "recommendations": [
            {"code": r.code, "text": r.text, "due": r.due, "satisfied": r.satisfied, "sources": list(r.sources)}
            for r in evaluation.recommendations
        ],
    }


def evaluate_text(text: str) -> str:
    """Evaluate one findings document given as JSON text; return the evaluation as JSON text."""
    findings = findings_from_document(parse(text))
    return json.dumps(evaluation_to_document(evaluate(findings)), indent=2, ensure_ascii=False)
