"""The judge of worked examples and clinic test cases: every worked example passes, and each way an evaluation can
miss its expectation is named."""

import json

import pytest

from checklists.rules.document import evaluate_text
from checklists.rules.judge import problems
from tests.worked_examples import EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES, ids=[example["id"] for example in EXAMPLES])
def test_every_worked_example_passes(example):
    output = json.loads(evaluate_text(json.dumps(example["input"])))
    assert problems(output, example["expected"]) == []


def output(**parts):
    return {
        "flags": [{"code": "MSCC_SUSPECTED", "tier": "emergency"}],
        "visit_tier": "emergency",
        "alp": None,
        "mirels": None,
        "sins": None,
        "calcium": {
            "ctcae_grade": 3,
            "basis": "corrected_total",
            "corrected": {"value": 3.4, "unit": "mmol/L"},
            "corrected_converted": {"value": 13.6, "unit": "mg/dL"},
        },
    } | parts


MUST = {"visit_tier": "emergency", "flags_must_fire": [{"code": "MSCC_SUSPECTED", "tier": "emergency"}]}


def test_a_matching_output_passes_and_unjudged_parts_are_ignored():
    assert problems(output(), MUST) == []
    assert problems(output(alp={"ctcae_grade": 4}), MUST) == []  # alp is not in the expectation


@pytest.mark.parametrize(
    ("got", "expected", "found"),
    [
        (output(flags=[]), MUST, ["MSCC_SUSPECTED should fire as emergency, got nothing"]),
        (
            output(flags=[{"code": "MSCC_SUSPECTED", "tier": "urgent"}]),
            MUST,
            ["MSCC_SUSPECTED should fire as emergency, got urgent"],
        ),
        (
            output(flags=[*output()["flags"], {"code": "NEW_BONE_PAIN", "tier": "prompt_review"}]),
            MUST,
            ["NEW_BONE_PAIN must not fire"],
        ),
        (output(visit_tier="urgent"), MUST, ["visit tier urgent != emergency"]),
        (
            output(alp={"ctcae_grade": 1}),
            MUST | {"alp": {"ctcae_grade": 2}},
            ["alp: {'ctcae_grade': 1} != {'ctcae_grade': 2}"],
        ),
        (output(), MUST | {"mirels": {"total": 9}}, ["mirels: None != {'total': 9}"]),
        (output(), MUST | {"sins": {"total": 7}}, ["sins: None != {'total': 7}"]),
    ],
)
def test_each_miss_is_named(got, expected, found):
    assert problems(got, expected) == found


def test_a_may_fire_flag_may_fire():
    got = output(flags=[*output()["flags"], {"code": "NEW_BONE_PAIN", "tier": "prompt_review"}])
    assert problems(got, MUST | {"flags_may_fire": ["NEW_BONE_PAIN"]}) == []


def calcium_expected(**changes):
    return MUST | {"calcium": output()["calcium"] | changes}


@pytest.mark.parametrize(
    ("want", "found"),
    [
        (calcium_expected(ctcae_grade=2), ["calcium.ctcae_grade: 3 != 2"]),
        (calcium_expected(basis="ionized"), ["calcium.basis: corrected_total != ionized"]),
        (
            calcium_expected(corrected={"value": 3.39, "unit": "mmol/L"}),
            ["calcium.corrected: {'value': 3.4, 'unit': 'mmol/L'} != {'value': 3.39, 'unit': 'mmol/L'}"],
        ),
        (calcium_expected(corrected_converted={"value": 13.7, "unit": "mg/dL"}), []),  # within one 0.1 step
        (
            calcium_expected(corrected_converted={"value": 13.8, "unit": "mg/dL"}),
            ["calcium.corrected_converted: {'value': 13.6, 'unit': 'mg/dL'} != {'value': 13.8, 'unit': 'mg/dL'}"],
        ),
        (
            calcium_expected(corrected_converted={"value": 13.6, "unit": "mmol/L"}),
            ["calcium.corrected_converted: {'value': 13.6, 'unit': 'mg/dL'} != {'value': 13.6, 'unit': 'mmol/L'}"],
        ),
        (
            calcium_expected(corrected_converted=None),
            ["calcium.corrected_converted: {'value': 13.6, 'unit': 'mg/dL'} != None"],
        ),
        (MUST | {"calcium": None}, [f"calcium: {output()['calcium']} != None"]),
    ],
)
def test_calcium_is_judged_exactly_and_its_conversion_within_one_step(want, found):
    assert problems(output(), want) == found


def test_a_missing_calcium_matches_only_a_missing_one():
    assert problems(output(calcium=None), MUST | {"calcium": None}) == []
    converted = output(calcium=output()["calcium"] | {"corrected_converted": None})
    assert problems(converted, calcium_expected(corrected_converted=None)) == []


def test_an_expectation_without_flags_expects_none_and_every_miss_is_listed():
    got = output(visit_tier="urgent", calcium=output()["calcium"] | {"ctcae_grade": 2})
    expected = {"visit_tier": "emergency", "calcium": output()["calcium"]}
    assert problems(got, expected) == [
        "MSCC_SUSPECTED must not fire",
        "visit tier urgent != emergency",
        "calcium.ctcae_grade: 2 != 3",
    ]
