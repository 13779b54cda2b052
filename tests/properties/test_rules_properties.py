"""Properties that must hold for every input, not just the ones we thought of (hypothesis)."""

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from checklists.rules import AlbuminResult, AlpResult, CalciumResult, Findings, FindingsError, evaluate
from checklists.rules.document import evaluate_text, findings_from_document, parse
from checklists.rules.labs import assess_alp, assess_calcium

from ..strategies import SYMPTOMS, documents, malformed_documents

symptom_sets = st.frozensets(st.sampled_from(SYMPTOMS))
medication_sets = st.frozensets(st.sampled_from(["denosumab", "tamoxifen"]))


@given(symptoms=symptom_sets, added=st.sampled_from(SYMPTOMS), medications=medication_sets)
def test_adding_a_symptom_never_lowers_the_visit_tier(symptoms, added, medications):
    before = evaluate(Findings(symptoms=symptoms, medications=medications)).visit_tier
    after = evaluate(Findings(symptoms=symptoms | {added}, medications=medications)).visit_tier
    assert after.rank >= before.rank


@given(symptoms=symptom_sets, added=st.sampled_from(SYMPTOMS))
def test_adding_a_symptom_never_removes_a_flag(symptoms, added):
    before = {flag.code for flag in evaluate(Findings(symptoms=symptoms)).flags}
    after = {flag.code for flag in evaluate(Findings(symptoms=symptoms | {added})).flags}
    assert before <= after


SCALES = st.sampled_from(
    [
        ("mg/dL", "total", Decimal("4.0"), Decimal("25.0"), Decimal("0.1")),
        ("mmol/L", "total", Decimal("1.00"), Decimal("6.25"), Decimal("0.01")),
        ("mmol/L", "ionized", Decimal("0.25"), Decimal("3.0"), Decimal("0.01")),
    ]
)


@given(scale=SCALES, data=st.data())
def test_a_higher_calcium_never_gets_a_higher_low_grade_or_a_lower_high_grade(scale, data):
    unit, calcium_type, low, high, step = scale
    steps = int((high - low) / step)
    a, b = sorted(data.draw(st.lists(st.integers(0, steps), min_size=2, max_size=2)))
    albumin = data.draw(
        st.sampled_from([None, AlbuminResult(Decimal("30"), "g/L"), AlbuminResult(Decimal("4.5"), "g/dL")])
    )
    # Values in a soft-stop range are graded once their unit is confirmed (RULES.md §4.5).
    lower = assess_calcium(CalciumResult(low + a * step, unit, calcium_type, unit_confirmed=True), albumin)
    higher = assess_calcium(CalciumResult(low + b * step, unit, calcium_type, unit_confirmed=True), albumin)
    assert higher.ctcae_grade >= lower.ctcae_grade
    assert higher.hypocalcaemia_grade <= lower.hypocalcaemia_grade
    assert not (higher.ctcae_grade and higher.hypocalcaemia_grade)


@given(values=st.lists(st.integers(1, 10000), min_size=2, max_size=2), baseline=st.none() | st.integers(1, 10000))
def test_a_higher_alp_never_gets_a_lower_grade(values, baseline):
    a, b = sorted(values)
    base = None if baseline is None else Decimal(baseline)
    assert (
        assess_alp(AlpResult(Decimal(b), baseline_value=base)).ctcae_grade
        >= assess_alp(AlpResult(Decimal(a), baseline_value=base)).ctcae_grade
    )


@given(document=documents)
def test_any_document_built_from_the_vocabulary_evaluates(document):
    output = json.loads(evaluate_text(json.dumps(document)))
    assert output["visit_tier"] in {"none", "routine", "prompt_review", "urgent", "emergency"}


@given(document=malformed_documents())
def test_a_malformed_document_is_refused_never_crashes(document):
    try:
        findings_from_document(parse(json.dumps(document)))
    except FindingsError as error:
        assert error.field
        assert "\n" not in str(error)
