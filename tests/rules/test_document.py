"""The JSON findings document of RULES.md §8: what it accepts, and one field-naming error for what it refuses."""

import json

import pytest

from checklists.rules import FindingsError
from checklists.rules.document import evaluate_text, findings_from_document, parse


def refusal(document) -> FindingsError:
    text = document if isinstance(document, str) else json.dumps(document)
    with pytest.raises(FindingsError) as refused:
        findings_from_document(parse(text))
    return refused.value


def test_numbers_may_be_decimal_strings_and_are_exact():
    document = {
        "primary_cancer": "breast",
        "labs": {"calcium": {"value": "2.70", "unit": "mmol/L"}, "albumin": {"value": 30, "unit": "g/L"}},
    }
    output = json.loads(evaluate_text(json.dumps(document)))
    assert output["calcium"]["corrected"] == {"value": 2.9, "unit": "mmol/L"}
    assert output["calcium"]["ctcae_grade"] == 1


def test_output_has_every_contract_key():
    output = json.loads(evaluate_text('{"primary_cancer": "lung", "symptoms": {"limb_weakness": true}}'))
    assert set(output) == {
        "rules_version",
        "visit_tier",
        "flags",
        "calcium",
        "alp",
        "mirels",
        "sins",
        "recommendations",
    }
    assert output["visit_tier"] == "emergency"
    assert set(output["flags"][0]) == {"code", "tier", "title", "reason", "sources"}
    assert set(output["recommendations"][0]) == {"code", "text", "due", "satisfied", "sources"}


def test_false_symptoms_and_nulls_count_as_absent():
    document = {
        "primary_cancer": "breast",
        "symptoms": {"limb_weakness": False},
        "known_sites": None,
        "labs": {"albumin": None, "calcium": None},
        "mirels": None,
        "notes": None,
    }
    output = json.loads(evaluate_text(json.dumps(document)))
    assert output["visit_tier"] == "none"
    assert output["calcium"] is None


def test_other_cancer_with_a_name_is_accepted():
    assert findings_from_document({"primary_cancer": "other:sarcoma"}).primary_cancer == "other:sarcoma"


@pytest.mark.parametrize(
    ("document", "field", "fragment"),
    [
        ("{not json", "document", "not valid JSON"),
        ('{"primary_cancer": "breast", "labs": {"alp": {"value": NaN, "unit": "U/L"}}}', "document", "not valid JSON"),
        ("[]", "document", "must be a JSON object"),
        ({}, "primary_cancer", "is required"),
        ({"primary_cancer": "breast", "symptom": {}}, "symptom", "did you mean 'symptoms'?"),
        (
            {"primary_cancer": "breast", "symptoms": {"leg_weakness": True}},
            "symptoms.leg_weakness",
            "did you mean 'limb_weakness'?",
        ),
        ({"primary_cancer": "breast", "symptoms": {"limb_weakness": "yes"}}, "symptoms.limb_weakness", "true or false"),
        ({"primary_cancer": "breast", "symptoms": []}, "symptoms", "must be a JSON object"),
        ({"primary_cancer": "pancreas"}, "primary_cancer", "unknown primary cancer"),
        ({"primary_cancer": 7}, "primary_cancer", "must be a string"),
        ({"primary_cancer": "breast", "known_sites": "femur"}, "known_sites", "must be a list"),
        ({"primary_cancer": "breast", "known_sites": ["knee"]}, "known_sites", "unknown site"),
        ({"primary_cancer": "breast", "medications": [1]}, "medications[0]", "must be a string"),
        ({"primary_cancer": "breast", "imaging_ordered": ["echo"]}, "imaging_ordered", "unknown imaging modality"),
        ({"primary_cancer": "breast", "labs": {"sodium": {}}}, "labs.sodium", "unknown key"),
        ({"primary_cancer": "breast", "labs": {"calcium": {"value": 2.5}}}, "labs.calcium.unit", "is required"),
        ({"primary_cancer": "breast", "labs": {"calcium": {"unit": "mmol/L"}}}, "labs.calcium.value", "is required"),
        (
            {"primary_cancer": "breast", "labs": {"calcium": {"value": 250, "unit": "mg/dL"}}},
            "labs.calcium.value",
            "250 mg/dL is not a plausible calcium",
        ),
        (
            {"primary_cancer": "breast", "labs": {"calcium": {"value": 2.6, "unit": "mg/dL"}}},
            "labs.calcium.value",
            "did you mean 2.6 mmol/L?",
        ),
        (
            {"primary_cancer": "breast", "labs": {"calcium": {"value": 2.6, "unit": "mmol"}}},
            "labs.calcium.unit",
            "unknown unit 'mmol'",
        ),
        (
            {"primary_cancer": "breast", "labs": {"calcium": {"value": "2,6", "unit": "mmol/L"}}},
            "labs.calcium.value",
            "must be a number",
        ),
        (
            {"primary_cancer": "breast", "labs": {"calcium": {"value": True, "unit": "mmol/L"}}},
            "labs.calcium.value",
            "must be a number",
        ),
        (
            {"primary_cancer": "breast", "labs": {"calcium": {"value": 2.6, "unit": "mmol/L", "uln": 0}}},
            "labs.calcium.uln",
            "must be positive",
        ),
        (
            {"primary_cancer": "breast", "labs": {"calcium": {"value": 2.4, "unit": "mmol/L", "lln": 2.6}}},
            "labs.calcium.lln",
            "the lower limit (LLN) 2.6 must be below the upper limit (ULN) 2.55",
        ),
        (
            {"primary_cancer": "breast", "labs": {"calcium": {"value": 2.4, "unit": "mmol/L", "lln": 8.5}}},
            "labs.calcium.lln",
            "did you mean 8.5 mg/dL?",
        ),
        (
            {"primary_cancer": "breast", "labs": {"albumin": {"value": 40, "unit": "g/L", "unit_confirmed": True}}},
            "labs.albumin.unit_confirmed",
            "unknown key",
        ),
        (
            {"primary_cancer": "breast", "labs": {"calcium": {"value": 5.8, "unit": "mg/dL"}}},
            "labs.calcium.value",
            "5.8 mg/dL is a severely LOW calcium; 5.8 mmol/L would be a life-threatening HIGH one. Confirm the unit.",
        ),
        (
            {"primary_cancer": "breast", "labs": {"calcium": {"value": 5.8, "unit": "mg/dL", "unit_confirmed": "yes"}}},
            "labs.calcium.unit_confirmed",
            "must be true or false",
        ),
        (
            {"primary_cancer": "breast", "labs": {"alp": {"value": 90, "unit": "U/L", "baseline_value": -3}}},
            "labs.alp.baseline_value",
            "not a plausible ALP",
        ),
        ({"primary_cancer": "breast", "mirels": {"site": "lower_limb"}}, "mirels.pain", "is required"),
        (
            {
                "primary_cancer": "breast",
                "mirels": {"site": "knee", "pain": "mild", "lesion": "lytic", "size": "lt_1_3"},
            },
            "mirels.site",
            "unknown site",
        ),
        ({"primary_cancer": "breast", "sins": "high"}, "sins", "must be a JSON object"),
        ({"primary_cancer": "breast", "notes": 5}, "notes", "must be a string"),
    ],
)
def test_refusals_name_the_field(document, field, fragment):
    error = refusal(document)
    assert error.field == field
    assert fragment in error.message
    assert "\n" not in str(error)
