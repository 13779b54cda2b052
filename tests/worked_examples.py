"""The worked examples of shared/clinical/examples.json and the rule they are judged by (end of RULES.md)."""

import json
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "checklists" / "rules" / "examples.json"
SHARED = REPO.parent / "shared" / "clinical" / "examples.json"

EXAMPLES = json.loads(SHIPPED.read_text())
# A converted value may differ by one displayed step; RULES.md §8 allows 0.1 mg/dL or 0.01 mmol/L.
CONVERTED_TOLERANCE = {"mg/dL": Decimal("0.1"), "mmol/L": Decimal("0.01")}


def problems(output: dict, expected: dict) -> list[str]:
    """Return every way the evaluation output breaks the expectation; empty when it passes."""
    found = []
    fired = {flag["code"]: flag["tier"] for flag in output["flags"]}
    for flag in expected["flags_must_fire"]:
        if fired.get(flag["code"]) != flag["tier"]:
            found.append(f"{flag['code']} should fire as {flag['tier']}, got {fired.get(flag['code'])}")
    allowed = {flag["code"] for flag in expected["flags_must_fire"]} | set(expected["flags_may_fire"])
    found += [f"{code} must not fire" for code in set(fired) - allowed]
    if output["visit_tier"] != expected["visit_tier"]:
        found.append(f"visit tier {output['visit_tier']} != {expected['visit_tier']}")
    for part in ("alp", "mirels", "sins"):
        if output[part] != expected[part]:
            found.append(f"{part}: {output[part]} != {expected[part]}")
    found += _calcium_problems(output["calcium"], expected["calcium"])
    return found


def _calcium_problems(got, want) -> list[str]:
    if want is None or got is None:
        return [] if got == want else [f"calcium: {got} != {want}"]
    found = [
        f"calcium.{key}: {got[key]} != {want[key]}"
        for key in ("ctcae_grade", "basis", "corrected")
        if got[key] != want[key]
    ]
    got_converted, want_converted = got["corrected_converted"], want["corrected_converted"]
    if (got_converted is None) != (want_converted is None):
        found.append(f"calcium.corrected_converted: {got_converted} != {want_converted}")
    elif want_converted is not None:
        unit = want_converted["unit"]
        gap = abs(Decimal(str(got_converted["value"])) - Decimal(str(want_converted["value"])))
        if got_converted["unit"] != unit or gap > CONVERTED_TOLERANCE[unit]:
            found.append(f"calcium.corrected_converted: {got_converted} != {want_converted}")
    return found
