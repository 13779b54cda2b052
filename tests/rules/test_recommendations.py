"""Recommended actions of RULES.md §7 and when the visit already satisfies them."""

import pytest

from checklists.rules import MirelsEntry, SinsEntry, evaluate

from .builders import calcium, findings


def actions(*symptoms, **more):
    return {r.code: r.satisfied for r in evaluate(findings(*symptoms, **more)).recommendations}


@pytest.mark.parametrize(("imaging", "satisfied"), [((), False), (("mri",), True), (("ct",), False)])
def test_mscc_asks_for_whole_spine_mri_within_24_hours(imaging, satisfied):
    recommended = actions("limb_weakness", "spinal_pain_new", imaging_ordered=frozenset(imaging))
    assert recommended == {"MRI_WHOLE_SPINE_24H": satisfied}


def test_spinal_pain_without_neurology_asks_for_mri_within_a_week():
    assert actions("spinal_pain_new", imaging_ordered=frozenset(["mri"])) == {"MRI_WHOLE_SPINE_1W": True}
    (action,) = evaluate(findings("spinal_pain_new")).recommendations
    assert action.due == "within 1 week"
    assert action.sources == ("NICE-CG75", "NICE-NG234")


@pytest.mark.parametrize(("imaging", "satisfied"), [((), False), (("xray",), True), (("ct",), True), (("mri",), False)])
def test_suspected_fracture_asks_for_an_xray(imaging, satisfied):
    recommended = actions("sudden_severe_pain", "unable_to_move_affected_part", imaging_ordered=frozenset(imaging))
    assert recommended == {"XRAY_PAINFUL_BONE": satisfied}


@pytest.mark.parametrize(("imaging", "satisfied"), [((), False), (("pet",), True), (("bone_scan",), True)])
def test_new_bone_pain_asks_for_any_imaging(imaging, satisfied):
    assert actions("bone_pain_new", imaging_ordered=frozenset(imaging)) == {"IMAGE_NEW_PAIN": satisfied}


@pytest.mark.parametrize("symptom", ["nausea", "confusion"])
def test_calcium_symptoms_ask_for_a_calcium_satisfied_by_a_result(symptom):
    assert actions(symptom) == {"CHECK_CALCIUM": False}
    assert actions(symptom, calcium=calcium("2.3"))["CHECK_CALCIUM"] is True


def test_missing_albumin_asks_for_albumin_never_satisfied():
    assert actions(calcium=calcium("2.3")) == {"ADD_ALBUMIN": False}


def test_cytopenia_and_onj():
    assert actions("bruising_or_bleeding") == {"FULL_BLOOD_COUNT": False}
    assert actions("jaw_symptoms", medications=frozenset(["denosumab"])) == {"ORAL_REVIEW": False}


@pytest.mark.parametrize(
    ("more", "wanted"),
    [
        ({"mirels": MirelsEntry("lower_limb", "moderate", "mixed", "1_3_to_2_3")}, True),  # 8
        ({"mirels": MirelsEntry("lower_limb", "moderate", "mixed", "lt_1_3")}, False),  # 7
        (
            {"sins": SinsEntry("junctional", "mechanical", "blastic", "normal", "no_collapse_gt_50_involved", "none")},
            True,
        ),
        ({"sins": SinsEntry("junctional", "mechanical", "blastic", "normal", "none", "none")}, False),  # 6
    ],
)
def test_orthopaedic_opinion_from_mirels_8_or_sins_7(more, wanted):
    assert ("ORTHOPAEDIC_OPINION" in actions(**more)) is wanted
