"""Judge an evaluation against what a worked example or a rule test case expects (the rule ending RULES.md).

Every flag that must fire fires with exactly its tier; a may-fire flag may or may not; no other flag fires;
the visit tier, grades, totals and bands match exactly; corrected calcium matches after rounding, and its
conversion within one displayed step (0.1 mg/dL or 0.01 mmol/L).
"""

from decimal import Decimal
from typing import Any

CONVERTED_TOLERANCE = {"mg/dL": Decimal("0.1"), "mmol/L": Decimal("0.01")}


def problems(output: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Return every way the evaluation output breaks the expectation; empty when it passes.

    `expected` holds visit_tier, flags_must_fire and flags_may_fire, and optionally calcium, alp, mirels and sins
    (a part that is absent is not judged, so a clinic's test case may name only the flags it cares about).
    """
    found = []
    fired = {flag["code"]: flag["tier"] for flag in output["flags"]}
    for flag in expected.get("flags_must_fire", []):
        if fired.get(flag["code"]) != flag["tier"]:
            found.append(f"{flag['code']} should fire as {flag['tier']}, got {fired.get(flag['code']) or 'nothing'}")
    allowed = {flag["code"] for flag in expected.get("flags_must_fire", [])} | set(expected.get("flags_may_fire", []))
    found += [f"{code} must not fire" for code in sorted(set(fired) - allowed)]
    if output["visit_tier"] != expected["visit_tier"]:
        found.append(f"visit tier {output['visit_tier']} != {expected['visit_tier']}")
    for part in ("alp", "mirels", "sins"):
        if part in expected and output[part] != expected[part]:
            found.append(f"{part}: {output[part]} != {expected[part]}")
    if "calcium" in expected:
        found += _calcium_problems(output["calcium"], expected["calcium"])
    return found


def _calcium_problems(got: dict[str, Any] | None, want: dict[str, Any] | None) -> list[str]:
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
