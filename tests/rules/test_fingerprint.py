"""RULES_VERSION changes whenever the rules change (issue 10 §7).

The fingerprint is a hash of every constant of checklists/rules/ (thresholds, tiers, words, sources, tables) and of
what the engine answers for every worked example. Change a number, a word or a comparison and the fingerprint
changes: this test then fails until RULES_VERSION is bumped and the new fingerprint recorded below, so a stored
flag's rules_version always names the rules that raised it.
"""

import dataclasses
import enum
import hashlib
import json
from decimal import Decimal
from types import ModuleType

from checklists.rules import (
    RULES_VERSION,
    document,
    engine,
    findings,
    flags,
    labs,
    recommendations,
    scores,
    sources,
    tiers,
    units,
    vocabulary,
)
from checklists.rules.findings import FindingsError
from tests.worked_examples import EXAMPLES

# RULES_VERSION -> fingerprint of the rules it names. Add a line when the rules change; never edit an old one.
FINGERPRINTS = {
    "2026.11.2": "970c63412b9a91b271e9a6f36fa49412a10ad8cf6d8f9ab477555babd0666c91",
}
MODULES = (document, engine, findings, flags, labs, recommendations, scores, sources, tiers, units, vocabulary)


def canonical(value):
    """A value as JSON-able data with one spelling: sets sorted, Decimals as written, enums by value."""
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: canonical(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return sorted([canonical(key), canonical(item)] for key, item in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(item) for item in value), key=json.dumps)
    if isinstance(value, (list, tuple)):
        return [canonical(item) for item in value]
    if isinstance(value, Decimal):
        return f"Decimal:{value}"
    if isinstance(value, range):
        return [value.start, value.stop, value.step]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)  # a type or a value with a stable repr (e.g. units.Range)


def constants(module: ModuleType) -> dict:
    """Every upper-case name of the module (private tables such as tiers._LABEL too), but not imported modules."""
    return {
        name: canonical(value)
        for name, value in vars(module).items()
        if name.isupper() and not isinstance(value, ModuleType) and not callable(value)
    }


def boundary_inputs() -> list[dict]:
    """Findings at, just below and just above every grade line, so a comparison that moves (> to >=) shows."""
    inputs = []
    for table in (labs.HYPERCALCAEMIA_CUTOFFS, labs.HYPOCALCAEMIA_CUTOFFS):
        for (calcium_type, unit), cutoffs in table.items():
            analyte = units.CALCIUM_IONIZED if calcium_type == units.IONIZED else units.CALCIUM_TOTAL
            default = units.DEFAULT_REFERENCE_RANGES[(analyte, unit)]
            step = units.PRECISION[unit]
            for line in (*cutoffs, default.lower, default.upper):
                for value in (line - step, line, line + step):
                    calcium = {"value": float(value), "unit": unit, "type": calcium_type, "unit_confirmed": True}
                    inputs.append({"labs": {"calcium": calcium}})
    for multiple in (labs.ALP_ULN_GRADE_1, labs.ALP_BASELINE_GRADE_1, *labs.ALP_MULTIPLES):
        for value in (147 * multiple - 1, 147 * multiple, 147 * multiple + 1):
            inputs.append({"labs": {"alp": {"value": float(value), "unit": "U/L", "uln": 147}}})
            baseline = {"value": float(value) * 2, "unit": "U/L", "uln": 147, "baseline_value": 294}
            inputs.append({"labs": {"alp": baseline}})
    return inputs


def answer(findings: dict):
    """What the engine makes of the findings, without the version (that is what is being checked)."""
    findings = {"primary_cancer": "breast", "known_sites": [], "symptoms": {}, "imaging_ordered": []} | findings
    try:
        answered = json.loads(document.evaluate_text(json.dumps(findings)))
    except FindingsError as refused:
        return f"refused: {refused}"
    answered.pop("rules_version")
    return answered


def fingerprint() -> str:
    data = {
        "constants": {module.__name__: constants(module) for module in MODULES},
        "examples": [answer(example["input"]) for example in EXAMPLES],
        "boundaries": [answer(findings) for findings in boundary_inputs()],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def test_rules_version_names_these_rules():
    found = fingerprint()
    assert FINGERPRINTS.get(RULES_VERSION) == found, (
        f"The rules changed (fingerprint {found}). Bump RULES_VERSION in checklists/rules/engine.py, say what "
        f"changed in docs/clinical-content.md, and add the new version and this fingerprint to FINGERPRINTS."
    )


def test_each_version_names_one_set_of_rules():
    assert len(set(FINGERPRINTS.values())) == len(FINGERPRINTS)
