"""The exact words of the evaluate contract's refusals and of the small helpers pages share (RULES.md §8).

A refusal names the field and says what to do in one line; these pin every word so a change is deliberate."""

import json
from decimal import Decimal

import pytest

from checklists.rules import RULES_VERSION, evaluate, scores, units, vocabulary
from checklists.rules.document import evaluate_text, findings_from_document, parse
from checklists.rules.findings import AlbuminResult, AlpResult, CalciumResult, FindingsError, StaffItem
from checklists.rules.labs import calcium_grade_in_words, hypercalcaemia_grade, hypocalcaemia_grade
from checklists.rules.recommendations import ORTHOPAEDIC_OPINION

from .builders import alp, calcium, findings

TOP = "primary_cancer, known_sites, symptoms, medications, imaging_ordered, labs, mirels, sins, notes"
CALCIUM_KEYS = "value, unit, type, uln, lln, unit_confirmed"
NUMBER = 'must be a number or a decimal string such as "2.71"'


def refused(document) -> str:
    with pytest.raises(FindingsError) as error:
        findings_from_document(parse(document if isinstance(document, str) else json.dumps(document)))
    return str(error.value)


def with_calcium(**calcium_):
    return {"primary_cancer": "breast", "labs": {"calcium": {"value": 2.4, "unit": "mmol/L"} | calcium_}}


@pytest.mark.parametrize(
    ("document", "words"),
    [
        (
            {"primary_cancer": "breast", "symptom": {}},
            f"symptom: unknown key (did you mean 'symptoms'?); expected one of: {TOP}",
        ),
        ({"primary_cancer": "breast", "zzz": 1}, f"zzz: unknown key; expected one of: {TOP}"),
        (
            with_calcium(**{"v\u00e5lue": 1}),
            f"labs.calcium[\"v\\u00e5lue\"]: unknown key (did you mean 'value'?); expected one of: {CALCIUM_KEYS}",
        ),
        (with_calcium(**{"up-per": 1}), f'labs.calcium["up-per"]: unknown key; expected one of: {CALCIUM_KEYS}'),
        (with_calcium(type=5), "labs.calcium.type: must be a string"),
        (with_calcium(type="plasma"), "labs.calcium.type: unknown calcium type 'plasma'; expected total or ionized"),
        (with_calcium(value="NaN"), f"labs.calcium.value: {NUMBER}"),
        (with_calcium(value="Infinity"), f"labs.calcium.value: {NUMBER}"),
        (with_calcium(uln=0), "labs.calcium.uln: the upper limit (ULN) of the reference range must be positive"),
        (with_calcium(lln=0), "labs.calcium.lln: the lower limit (LLN) of the reference range must be positive"),
        (
            with_calcium(uln=10.2),
            "labs.calcium.uln: the upper limit (ULN) 10.2 mmol/L is not plausible for calcium; "
            "did you mean 10.2 mg/dL?",
        ),
        (
            with_calcium(uln=2.2, lln=2.2),
            "labs.calcium.lln: the lower limit (LLN) 2.2 must be below the upper limit (ULN) 2.2",
        ),
        (
            {"primary_cancer": "breast", "labs": {"alp": {"value": 90, "unit": "U/L", "uln": 0.5}}},
            "labs.alp.uln: the upper limit (ULN) 0.5 U/L is not plausible for ALP (plausible range 1\u201310000 U/L)",
        ),
        (
            with_calcium(unit="mg/dL", type="ionized"),
            "labs.calcium.unit: ionized calcium is graded in mmol/L only (as CTCAE gives it)",
        ),
        (
            {"primary_cancer": "breast", "mirels": {"site": 5, "pain": "mild", "lesion": "lytic", "size": "lt_1_3"}},
            "mirels.site: must be a string",
        ),
        (
            {
                "primary_cancer": "breast",
                "mirels": {"site": "knee", "pain": "mild", "lesion": "lytic", "size": "lt_1_3"},
            },
            "mirels.site: unknown site 'knee'; expected upper_limb, lower_limb, peritrochanteric",
        ),
        (
            {
                "primary_cancer": "breast",
                "sins": {
                    "location": "x",
                    "pain": "mechanical",
                    "bone_lesion": "lytic",
                    "alignment": "normal",
                    "collapse": "none",
                    "posterolateral": "none",
                },
            },
            "sins.location: unknown location 'x'; expected junctional, mobile, semirigid, rigid",
        ),
        (
            {
                "primary_cancer": "breast",
                "sins": {
                    "location": "mobile",
                    "pain": "mechanical",
                    "bone_lesion": "lytic",
                    "alignment": "normal",
                    "collapse": "none",
                    "posterolateral": "x",
                },
            },
            "sins.posterolateral: unknown posterolateral 'x'; expected bilateral, unilateral, none",
        ),
        ({"primary_cancer": "breast", "imaging_ordered": "mri"}, "imaging_ordered: must be a list"),
        (
            {"primary_cancer": "breast", "symptoms": {"zzzz": True}},
            "symptoms.zzzz: unknown symptom; expected a key of RULES.md section 3",
        ),
        ({"primary_cancer": "pancreatic"}, "primary_cancer: unknown primary cancer 'pancreatic'"),
        ({"primary_cancer": "breast", "known_sites": ["kneecap"]}, "known_sites: unknown site 'kneecap'"),
        ('{"primary_cancer": "breast", "x": NaN}', "document: not valid JSON (NaN is not a number)"),
    ],
)
def test_each_refusal_says_exactly_this(document, words):
    assert refused(document) == words


def test_an_ionized_document_is_graded_as_ionized():
    document = with_calcium(value=1.85, type="ionized")
    output = json.loads(evaluate_text(json.dumps(document)))
    assert (output["calcium"]["basis"], output["calcium"]["ctcae_grade"]) == ("ionized", 4)


def test_the_output_document_of_a_full_visit():
    document = {
        "primary_cancer": "breast",
        "labs": {
            "calcium": {"value": 12.1, "unit": "mg/dL", "uln": 10.2},
            "albumin": {"value": 3.4, "unit": "g/dL"},
            "alp": {"value": 410, "unit": "U/L", "uln": 147},
        },
        "mirels": {"site": "lower_limb", "pain": "moderate", "lesion": "lytic", "size": "1_3_to_2_3"},
        "sins": {
            "location": "semirigid",
            "pain": "mechanical",
            "bone_lesion": "lytic",
            "alignment": "normal",
            "collapse": "no_collapse_gt_50_involved",
            "posterolateral": "none",
        },
    }
    output = json.loads(evaluate_text(json.dumps(document)))
    assert output["rules_version"] == RULES_VERSION
    assert output["visit_tier"] == "urgent"
    assert output["calcium"] == {
        "corrected": {"value": 12.6, "unit": "mg/dL"},
        "corrected_converted": {"value": 3.14, "unit": "mmol/L"},
        "ctcae_grade": 3,
        "hypocalcaemia_grade": 0,
        "basis": "corrected_total",
    }
    assert output["alp"] == {"ctcae_grade": 2, "ratio": 2.789, "reference": "ULN"}
    assert output["mirels"] == {"total": 9, "band": "high"}
    assert output["sins"] == {"total": 7, "band": "potentially_unstable"}
    assert [(flag["code"], flag["tier"]) for flag in output["flags"]] == [
        ("HYPERCALCAEMIA_LAB", "urgent"),
        ("MIRELS_FRACTURE_RISK", "urgent"),
        ("ALP_ELEVATED", "prompt_review"),
        ("SINS_INSTABILITY", "prompt_review"),
    ]
    orthopaedic = next(r for r in output["recommendations"] if r["code"] == ORTHOPAEDIC_OPINION)
    assert orthopaedic == {
        "code": "ORTHOPAEDIC_OPINION",
        "text": "Orthopaedic / spinal surgical opinion",
        "due": "within days",
        "satisfied": False,
        "sources": ["MIRELS-1989", "SINS-2010"],
    }


def test_an_empty_visit_has_every_part_empty():
    output = json.loads(evaluate_text('{"primary_cancer": "breast"}'))
    assert {key: output[key] for key in ("calcium", "alp", "mirels", "sins", "flags", "recommendations")} == {
        "calcium": None,
        "alp": None,
        "mirels": None,
        "sins": None,
        "flags": [],
        "recommendations": [],
    }


# -- findings built directly -----------------------------------------------------------------------------------


def test_results_are_kept_as_exact_decimals_in_their_units_own_spelling():
    result = CalciumResult(3, "mmol/L", uln=3)
    assert (result.value, result.uln) == (Decimal(3), Decimal(3))
    assert type(result.value) is Decimal and type(result.uln) is Decimal
    assert type(AlbuminResult(40, "g/L").value) is Decimal
    enzyme = AlpResult(90, "IU/L", uln=130, baseline_value=200)
    assert (enzyme.unit, type(enzyme.value), type(enzyme.uln), type(enzyme.baseline_value)) == (
        "U/L",
        Decimal,
        Decimal,
        Decimal,
    )
    assert str(FindingsError("value", "is wrong")) == "value: is wrong"


def test_a_limit_equal_to_the_other_is_refused():
    with pytest.raises(FindingsError) as error:
        CalciumResult(Decimal("2.4"), "mmol/L", uln=Decimal("2.2"), lln=Decimal("2.2"))
    assert error.value.field == "lln"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (
            lambda: StaffItem("nausea", "x", "urgent", "t"),
            "key: 'nausea' is a built-in item; a staff item needs a key of its own",
        ),
        (lambda: StaffItem("k", "x", "none", "t"), "tier: unknown tier 'none'"),
        (lambda: findings("nausea", "zzz"), "symptoms.zzz: unknown symptom 'zzz'"),
    ],
)
def test_findings_refuse_in_these_words(make, words):
    with pytest.raises(FindingsError) as error:
        make()
    assert str(error.value) == words


def test_an_evaluation_names_its_rules_and_keeps_every_assessment():
    evaluation = evaluate(findings(calcium=calcium("2.40"), alp=alp("300", uln="147")))
    assert evaluation.rules_version == RULES_VERSION
    assert (evaluation.alp.ctcae_grade, evaluation.alp.reference_value) == (1, Decimal("147"))
    assert (evaluation.calcium.uln, evaluation.calcium.lln) == (Decimal("2.55"), Decimal("2.15"))


# -- small helpers the pages use -------------------------------------------------------------------------------


def test_numbers_are_written_as_staff_write_them():
    assert units.fmt(Decimal("1E+2")) == "100"
    assert units.plain(Decimal("100.000")) == "100" and units.plain(None) == ""
    assert units.shown(Decimal("3.4"), "mmol/L") == "3.40"
    assert units.shown(Decimal("13.65"), "mg/dL") == "13.7"  # half up (RULES.md §4.2)
    assert units.shown(Decimal("40.0"), "g/L") == "40"
    assert units.shown(Decimal("600.0"), "U/L") == "600"
    assert units.shown(None, "U/L") == ""


def test_reference_range_limits_are_refused_in_these_words():
    assert units.limit_error("calcium_total", Decimal("0.5"), "mmol/L", "lower limit") == (
        "the lower limit 0.5 mmol/L is not plausible for calcium (plausible range 1.00\u20136.25 mmol/L)"
    )
    assert units.limit_error("calcium_total", Decimal("9.5"), "mmol/L") == (
        "the upper limit 9.5 mmol/L is not plausible for calcium; did you mean 9.5 mg/dL?"
    )
    assert units.limit_error("calcium_total", Decimal("0"), "mmol/L") == (
        "the upper limit of the reference range must be positive"
    )
    assert units.limit_error("calcium_total", Decimal("1"), "mmol/L") is None  # 1.00 is the lowest plausible


def test_the_built_in_ranges_are_exact_decimals():
    for limits in units.DEFAULT_REFERENCE_RANGES.values():
        assert type(limits.lower) is Decimal and type(limits.upper) is Decimal and limits.lower < limits.upper
    assert units.DEFAULT_REFERENCE_RANGES[("calcium_total", "mmol/L")] == units.Range(Decimal("2.15"), Decimal("2.55"))


def test_score_ranges_and_bands_in_words():
    assert (scores.MIRELS_MIN, scores.MIRELS_MAX, scores.SINS_MIN, scores.SINS_MAX) == (4, 12, 0, 18)
    assert scores.band_range("borderline") == "8"
    assert scores.band_range("unstable") == "13\u201318"
    assert scores.bands_in_words(scores.SINS_BANDS) == (
        "0\u20136 stable, 7\u201312 potentially unstable, 13\u201318 unstable"
    )


def test_calcium_grades_in_words():
    assert calcium_grade_in_words(3, 0) == "CTCAE grade 3 hypercalcaemia"
    assert calcium_grade_in_words(0, 2) == "CTCAE grade 2 hypocalcaemia"
    assert calcium_grade_in_words(0, 0) == "Within the reference range (CTCAE grade 0)"
    assert hypercalcaemia_grade(Decimal("2.40"), Decimal("2.55"), "total", "mmol/L") == (0, "")
    assert hypocalcaemia_grade(Decimal("2.40"), Decimal("2.15"), "total", "mmol/L") == (0, "")


def test_medicine_names_are_normalised_as_pharmacists_write_them():
    assert vocabulary.normalise_medication("Zoledronic-Acid") == "zoledronic_acid"
    assert vocabulary.normalise_medication("  zoledronic   acid ") == "zoledronic_acid"


def test_the_command_prints_indented_json_with_the_words_as_written():
    text = evaluate_text(json.dumps(with_calcium(value=3.2)))
    assert text.startswith('{\n  "rules_version": ')
    assert "CTCAE grade 3 (>3.1\u20133.4)" in text  # the dash itself, not \\u2013
