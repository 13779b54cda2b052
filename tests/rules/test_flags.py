"""The symptom flags of RULES.md §6: every trigger on its own, the combinations, tiers and order."""

import pytest

from checklists.rules import Findings, FindingsError, Tier, evaluate
from checklists.rules.flags import RULES, SAFETY_FLOOR
from checklists.rules.vocabulary import PRIMARY_CANCERS, SYMPTOM_KEYS

from .builders import findings


def raised(*symptoms, **more):
    return {flag.code: flag.tier for flag in evaluate(findings(*symptoms, **more)).flags}


@pytest.mark.parametrize(
    "symptom",
    [
        "limb_weakness",
        "numbness",
        "difficulty_walking",
        "urinary_difficulty",
        "urinary_incontinence",
        "bowel_incontinence",
    ],
)
def test_each_neurological_sign_alone_is_an_mscc_emergency(symptom):
    assert raised(symptom)["MSCC_SUSPECTED"] == Tier.EMERGENCY
    assert evaluate(findings(symptom)).visit_tier == Tier.EMERGENCY


def test_new_constipation_with_new_spinal_pain_is_an_mscc_emergency():
    flags = raised("constipation_new", "spinal_pain_new")
    assert flags["MSCC_SUSPECTED"] == Tier.EMERGENCY
    assert flags["SPINAL_METASTASIS_PAIN"] == Tier.URGENT


def test_new_constipation_alone_is_not_mscc():
    assert raised("constipation_new") == {"HYPERCALCAEMIA_SYMPTOMS": Tier.PROMPT_REVIEW}


def test_spinal_pain_alone_is_urgent_not_emergency():
    assert raised("spinal_pain_new") == {"SPINAL_METASTASIS_PAIN": Tier.URGENT}


def test_mscc_reason_names_every_trigger():
    (mscc, _spinal) = evaluate(findings("limb_weakness", "spinal_pain_new")).flags
    assert mscc.reason.startswith("New weakness in the legs or arms and new or worsening back or neck pain")
    assert mscc.title == "Suspected spinal cord compression"
    assert "CRUK-2013" in mscc.sources and "NICE-NG234" in mscc.sources


@pytest.mark.parametrize(
    ("symptoms", "fires"),
    [
        (("sudden_severe_pain", "unable_to_move_affected_part"), True),
        (("sudden_severe_pain", "pain_after_minor_activity"), True),
        (("sudden_severe_pain",), False),
        (("unable_to_move_affected_part", "pain_after_minor_activity"), False),
    ],
)
def test_pathological_fracture_needs_sudden_pain_and_a_companion(symptoms, fires):
    flags = raised(*symptoms)
    assert (flags.get("PATHOLOGICAL_FRACTURE_SUSPECTED") == Tier.URGENT) is fires


@pytest.mark.parametrize("symptom", ["bone_pain_new", "bone_pain_worse_at_rest_or_night"])
def test_new_bone_pain_is_prompt_review(symptom):
    assert raised(symptom) == {"NEW_BONE_PAIN": Tier.PROMPT_REVIEW}


@pytest.mark.parametrize(
    "symptom",
    [
        "nausea",
        "vomiting",
        "constipation_new",
        "loss_of_appetite",
        "extreme_thirst",
        "polyuria",
        "dehydration",
        "fatigue",
        "generalised_weakness",
        "kidney_stones",
    ],
)
def test_each_high_calcium_symptom_is_prompt_review(symptom):
    assert raised(symptom) == {"HYPERCALCAEMIA_SYMPTOMS": Tier.PROMPT_REVIEW}


@pytest.mark.parametrize(
    ("symptoms", "tier"),
    [
        (("confusion",), Tier.URGENT),
        (("drowsiness",), Tier.URGENT),
        (("unresponsive_or_coma",), Tier.EMERGENCY),
        (("confusion", "unresponsive_or_coma"), Tier.EMERGENCY),
    ],
)
def test_altered_mental_status(symptoms, tier):
    assert raised(*symptoms)["ALTERED_MENTAL_STATUS"] == tier


@pytest.mark.parametrize(
    "medication",
    [
        "zoledronic_acid",
        "pamidronate",
        "ibandronate",
        "alendronate",
        "risedronate",
        "clodronate",
        "denosumab",
        "Xgeva",
        "Zoledronic acid",
        " DENOSUMAB ",
        "zometa",
    ],
)
def test_jaw_symptoms_on_an_antiresorptive_raise_onj(medication):
    assert raised("jaw_symptoms", medications=frozenset([medication])) == {"ONJ_SYMPTOMS": Tier.PROMPT_REVIEW}


def test_jaw_symptoms_without_an_antiresorptive_raise_nothing():
    assert raised("jaw_symptoms", medications=frozenset(["tamoxifen"])) == {}


@pytest.mark.parametrize("symptom", ["bruising_or_bleeding", "frequent_infections"])
def test_cytopenia_symptoms(symptom):
    assert raised(symptom) == {"CYTOPENIA_SYMPTOMS": Tier.PROMPT_REVIEW}


def test_hair_loss_is_recorded_but_raises_nothing():
    assert raised("hair_loss") == {}
    assert evaluate(findings("hair_loss")).visit_tier == Tier.NONE


def test_nothing_found_means_tier_none_and_no_recommendations():
    evaluation = evaluate(findings())
    assert evaluation.visit_tier == Tier.NONE
    assert evaluation.flags == ()
    assert evaluation.recommendations == ()


@pytest.mark.parametrize("cancer", [*PRIMARY_CANCERS, "other:sarcoma"])
def test_the_primary_cancer_never_suppresses_a_flag(cancer):
    evaluation = evaluate(Findings(primary_cancer=cancer, symptoms=frozenset(["limb_weakness"])))
    assert evaluation.visit_tier == Tier.EMERGENCY


def test_flags_are_listed_highest_tier_first():
    evaluation = evaluate(findings("nausea", "bone_pain_new", "spinal_pain_new", "numbness", "bruising_or_bleeding"))
    ranks = [flag.tier.rank for flag in evaluation.flags]
    assert ranks == sorted(ranks, reverse=True)
    assert evaluation.flags[0].code == "MSCC_SUSPECTED"
    assert evaluation.visit_tier == Tier.EMERGENCY


def test_every_flag_names_known_sources_and_has_a_title():
    from checklists.rules.sources import SOURCES_BY_KEY

    for rule in RULES:
        assert rule.title
        assert rule.sources
        assert set(rule.sources) <= set(SOURCES_BY_KEY)


def test_there_are_fourteen_flags():
    assert len(RULES) == 14


def test_safety_floor_holds_every_item_an_emergency_or_urgent_symptom_rule_needs():
    """Every screen item whose 'yes' alone or in a combination raises an urgent or emergency flag."""
    high = {"MSCC_SUSPECTED", "SPINAL_METASTASIS_PAIN", "PATHOLOGICAL_FRACTURE_SUSPECTED", "ALTERED_MENTAL_STATUS"}
    needed = {key for rule in RULES if rule.code in high for key in rule.triggers} | {"constipation_new"}
    assert needed == SAFETY_FLOOR
    for key in SYMPTOM_KEYS - SAFETY_FLOOR:
        pair_tiers = [evaluate(findings(key, other)).visit_tier for other in SYMPTOM_KEYS - SAFETY_FLOOR]
        assert all(tier.rank < Tier.URGENT.rank for tier in pair_tiers), key


@pytest.mark.parametrize(
    ("field", "build"),
    [
        ("symptoms.leg_weakness", lambda: Findings(symptoms=frozenset(["leg_weakness"]))),
        ("primary_cancer", lambda: Findings(primary_cancer="liver")),
        ("primary_cancer", lambda: Findings(primary_cancer="other:  ")),
        ("known_sites", lambda: Findings(known_sites=frozenset(["knee"]))),
        ("imaging_ordered", lambda: Findings(imaging_ordered=frozenset(["ultrasound"]))),
    ],
)
def test_unknown_words_are_refused(field, build):
    with pytest.raises(FindingsError) as refused:
        build()
    assert refused.value.field == field


def test_every_tier_has_its_own_icon_and_word():
    """Tiers are shown by icon and word, never by colour alone."""
    assert len({tier.icon for tier in Tier}) == len(Tier)
    assert len({tier.label for tier in Tier}) == len(Tier)


def test_a_list_of_flags_in_one_line_most_urgent_first():
    from checklists.rules.tiers import Tier, counted

    assert counted([Tier.URGENT, Tier.EMERGENCY, Tier.URGENT]) == "\u203c 1 emergency, \u25b2 2 urgent"
    assert counted([Tier.ROUTINE, Tier.PROMPT_REVIEW]) == "\u25cf 1 prompt review, \u2139 1 routine"
    assert counted([]) == "\u2713 No flags"
