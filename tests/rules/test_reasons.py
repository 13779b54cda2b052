"""The exact words of every flag: a change to any reason is a deliberate, reviewed change (issue 10)."""

from decimal import Decimal

import pytest

from checklists.rules import Findings, MirelsEntry, SinsEntry, evaluate
from checklists.rules.findings import StaffItem

from .builders import albumin, alp, calcium, findings

# (case, findings, {code: (tier, reason)}): every flag the findings raise, with its tier and its words.
CASES = [
    (
        "MSCC, three neurological symptoms",
        findings("limb_weakness", "numbness", "bowel_incontinence"),
        {
            "MSCC_SUSPECTED": (
                "emergency",
                "New weakness in the legs or arms, new numbness or tingling and loss of bowel control: signs of "
                "spinal cord compression, an oncological emergency.",
            )
        },
    ),
    (
        "MSCC, constipation with back pain",
        findings("constipation_new", "spinal_pain_new"),
        {
            "MSCC_SUSPECTED": (
                "emergency",
                "New constipation together with new or worsening back or neck pain: signs of spinal cord "
                "compression, an oncological emergency.",
            ),
            "SPINAL_METASTASIS_PAIN": (
                "urgent",
                "New or worsening back or neck pain: may be a spinal metastasis and the earliest sign of cord "
                "compression.",
            ),
            "HYPERCALCAEMIA_SYMPTOMS": ("prompt_review", "New constipation: may be high calcium."),
        },
    ),
    (
        "MSCC, weakness with back pain",
        findings("limb_weakness", "spinal_pain_new"),
        {
            "MSCC_SUSPECTED": (
                "emergency",
                "New weakness in the legs or arms and new or worsening back or neck pain: signs of spinal cord "
                "compression, an oncological emergency.",
            ),
            "SPINAL_METASTASIS_PAIN": (
                "urgent",
                "New or worsening back or neck pain: may be a spinal metastasis and the earliest sign of cord "
                "compression.",
            ),
        },
    ),
    (
        "pathological fracture",
        findings("sudden_severe_pain", "unable_to_move_affected_part", "pain_after_minor_activity"),
        {
            "PATHOLOGICAL_FRACTURE_SUSPECTED": (
                "urgent",
                "Sudden severe pain, unable to move or bear weight on the painful part and pain that started with "
                "an everyday activity: the bone may have broken.",
            )
        },
    ),
    (
        "new bone pain",
        findings("bone_pain_new", "bone_pain_worse_at_rest_or_night"),
        {
            "NEW_BONE_PAIN": (
                "prompt_review",
                "New bone pain or pain at a new site and bone pain worse at night, at rest or lying down: new pain "
                "that might come from a bone should be checked, even if it seems like arthritis.",
            )
        },
    ),
    (
        "high calcium, corrected",
        findings(calcium=calcium("12.1", "mg/dL"), albumin=albumin("3.4", "g/dL")),
        {"HYPERCALCAEMIA_LAB": ("urgent", "Corrected calcium 12.6 mg/dL \u2014 CTCAE grade 3 (>12.5\u201313.5)")},
    ),
    (
        "high calcium, no albumin",
        findings(calcium=calcium("2.95", "mmol/L")),
        {
            "HYPERCALCAEMIA_LAB": (
                "prompt_review",
                "Total calcium 2.95 mmol/L (uncorrected: no albumin) \u2014 CTCAE grade 2 (>2.9\u20133.1)",
            ),
            "CORRECTED_CALCIUM_NOT_COMPUTABLE": (
                "routine",
                "Total calcium 2.95 mmol/L was reported without an albumin result, so it could not be corrected; "
                "the measured value was graded instead.",
            ),
        },
    ),
    (
        "high calcium, ionized",
        findings(calcium=calcium("1.85", "mmol/L", "ionized")),
        {"HYPERCALCAEMIA_LAB": ("emergency", "Ionized calcium 1.85 mmol/L \u2014 CTCAE grade 4 (>1.8)")},
    ),
    (
        "low calcium, corrected",
        findings(calcium=calcium("7.2", "mg/dL"), albumin=albumin("4.2", "g/dL")),
        {
            "HYPOCALCAEMIA_LAB": (
                "prompt_review",
                "Corrected calcium 7.0 mg/dL \u2014 CTCAE grade 2 hypocalcaemia (<8.0\u20137.0)",
            )
        },
    ),
    (
        "high-calcium symptoms",
        findings("nausea", "extreme_thirst", "kidney_stones"),
        {
            "HYPERCALCAEMIA_SYMPTOMS": (
                "prompt_review",
                "Nausea, extreme thirst and kidney stones: may be high calcium.",
            )
        },
    ),
    (
        "altered mental status, unresponsive",
        findings("unresponsive_or_coma", "confusion"),
        {"ALTERED_MENTAL_STATUS": ("emergency", "Unresponsive or hard to rouse and new confusion.")},
    ),
    (
        "altered mental status, confused and drowsy",
        findings("confusion", "drowsiness"),
        {
            "ALTERED_MENTAL_STATUS": (
                "urgent",
                "New confusion and unusual sleepiness or drowsiness: may be high calcium or other causes.",
            )
        },
    ),
    (
        "ALP against the ULN",
        findings(alp=alp("410", uln="147")),
        {
            "ALP_ELEVATED": (
                "prompt_review",
                "ALP 410 U/L = 2.789 \u00d7 ULN (147 U/L) \u2014 CTCAE grade 2 (>2.5\u20135.0 \u00d7 ULN)",
            )
        },
    ),
    (
        "ALP grade 1 against the ULN",
        findings(alp=alp("200", uln="147")),
        {
            "ALP_ELEVATED": (
                "prompt_review",
                "ALP 200 U/L = 1.361 \u00d7 ULN (147 U/L) \u2014 CTCAE grade 1 (>1.0\u20132.5 \u00d7 ULN)",
            )
        },
    ),
    (
        "ALP grade 4",
        findings(alp=alp("3100", uln="147")),
        {
            "ALP_ELEVATED": (
                "prompt_review",
                "ALP 3100 U/L = 21.088 \u00d7 ULN (147 U/L) \u2014 CTCAE grade 4 (>20.0 \u00d7 ULN)",
            )
        },
    ),
    (
        "ALP grade 2 against an abnormal baseline",
        findings(alp=alp("700", uln="147", baseline="240")),
        {
            "ALP_ELEVATED": (
                "prompt_review",
                "ALP 700 U/L = 2.917 \u00d7 baseline (240 U/L) \u2014 CTCAE grade 2 (>2.5\u20135.0 \u00d7 baseline)",
            )
        },
    ),
    (
        "ALP against an abnormal baseline",
        findings(alp=alp("500", uln="147", baseline="240")),
        {
            "ALP_ELEVATED": (
                "prompt_review",
                "ALP 500 U/L = 2.083 \u00d7 baseline (240 U/L) \u2014 "
                "CTCAE grade 1 (\u22652.0\u20132.5 \u00d7 baseline)",
            )
        },
    ),
    (
        "jaw symptoms on two antiresorptives",
        Findings(
            primary_cancer="breast",
            symptoms=frozenset(["jaw_symptoms"]),
            medications=frozenset(["Xgeva", "zoledronic acid"]),
        ),
        {
            "ONJ_SYMPTOMS": (
                "prompt_review",
                "Jaw pain, exposed bone, a gum ulcer or a socket that won't heal "
                "while on denosumab and zoledronic acid.",
            )
        },
    ),
    (
        "low blood counts",
        findings("bruising_or_bleeding", "frequent_infections"),
        {
            "CYTOPENIA_SYMPTOMS": (
                "prompt_review",
                "Unusual bruising or bleeding and frequent or repeated infections: the marrow may be crowded out.",
            )
        },
    ),
    (
        "Mirels 9",
        findings(mirels=MirelsEntry("lower_limb", "moderate", "lytic", "1_3_to_2_3")),
        {"MIRELS_FRACTURE_RISK": ("urgent", "Mirels score 9 of 12: high risk of pathological fracture (9 or more).")},
    ),
    (
        "Mirels 8",
        findings(mirels=MirelsEntry("lower_limb", "moderate", "mixed", "1_3_to_2_3")),
        {
            "MIRELS_FRACTURE_RISK": (
                "prompt_review",
                "Mirels score 8 of 12: borderline (the 1989 paper advised fixation at 8 or more).",
            )
        },
    ),
    (
        "SINS 15",
        findings(sins=SinsEntry("junctional", "mechanical", "lytic", "subluxation_translation", "none", "bilateral")),
        {"SINS_INSTABILITY": ("urgent", "SINS 15 of 18: unstable (13\u201318).")},
    ),
    (
        "SINS 7",
        findings(sins=SinsEntry("semirigid", "mechanical", "lytic", "normal", "no_collapse_gt_50_involved", "none")),
        {"SINS_INSTABILITY": ("prompt_review", "SINS 7 of 18: potentially unstable (7\u201312).")},
    ),
    (
        "a clinic's own item",
        findings(
            staff_items=(
                StaffItem("fall_since_last_visit", "Any fall since the last visit?", "urgent", "Fall", ("BCO",)),
            )
        ),
        {"ITEM_FALL_SINCE_LAST_VISIT": ("urgent", "Answered yes: Any fall since the last visit?")},
    ),
]


@pytest.mark.parametrize(("findings_", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_every_flag_says_exactly_this(findings_, expected):
    raised = {flag.code: (flag.tier.value, flag.reason) for flag in evaluate(findings_).flags}
    assert raised == expected


def test_the_table_covers_every_built_in_flag():
    from checklists.rules.flags import RULES

    covered = {code for _name, _findings, expected in CASES for code in expected}
    assert {rule.code for rule in RULES} <= covered


def test_the_alp_ratio_in_the_words_is_the_rounded_ratio_of_the_grade():
    (flag,) = evaluate(findings(alp=alp("367.5", uln="147"))).flags  # exactly 2.5 × ULN: grade 1, not 2
    assert "= 2.500 \u00d7 ULN" in flag.reason and "grade 1" in flag.reason
    assert Decimal("367.5") == Decimal("2.5") * 147


# What each flag records about its severity: the grade (CTCAE grade or score total) and the screen items that
# raised it. "Known and stable" carries over only while neither rises (issue 10 §3).
SEVERITY = {
    "MSCC, three neurological symptoms": {
        "MSCC_SUSPECTED": (None, {"limb_weakness", "numbness", "bowel_incontinence"})
    },
    "MSCC, constipation with back pain": {
        "MSCC_SUSPECTED": (None, {"constipation_new", "spinal_pain_new"}),
        "SPINAL_METASTASIS_PAIN": (None, {"spinal_pain_new"}),
        "HYPERCALCAEMIA_SYMPTOMS": (None, {"constipation_new"}),
    },
    "pathological fracture": {
        "PATHOLOGICAL_FRACTURE_SUSPECTED": (
            None,
            {"sudden_severe_pain", "unable_to_move_affected_part", "pain_after_minor_activity"},
        )
    },
    "high calcium, corrected": {"HYPERCALCAEMIA_LAB": (3, set())},
    "high calcium, ionized": {"HYPERCALCAEMIA_LAB": (4, set())},
    "low calcium, corrected": {"HYPOCALCAEMIA_LAB": (2, set())},
    "altered mental status, unresponsive": {"ALTERED_MENTAL_STATUS": (None, {"unresponsive_or_coma", "confusion"})},
    "altered mental status, confused and drowsy": {"ALTERED_MENTAL_STATUS": (None, {"confusion", "drowsiness"})},
    "ALP against the ULN": {"ALP_ELEVATED": (2, set())},
    "ALP grade 4": {"ALP_ELEVATED": (4, set())},
    "jaw symptoms on two antiresorptives": {"ONJ_SYMPTOMS": (None, {"jaw_symptoms"})},
    "Mirels 9": {"MIRELS_FRACTURE_RISK": (9, set())},
    "Mirels 8": {"MIRELS_FRACTURE_RISK": (8, set())},
    "SINS 15": {"SINS_INSTABILITY": (15, set())},
    "SINS 7": {"SINS_INSTABILITY": (7, set())},
    "a clinic's own item": {"ITEM_FALL_SINCE_LAST_VISIT": (None, {"fall_since_last_visit"})},
}
FINDINGS_BY_NAME = {name: case_findings for name, case_findings, _expected in CASES}


@pytest.mark.parametrize(("name", "expected"), SEVERITY.items(), ids=list(SEVERITY))
def test_every_flag_records_its_grade_and_what_raised_it(name, expected):
    raised = evaluate(FINDINGS_BY_NAME[name]).flags
    assert {flag.code: (flag.grade, set(flag.triggered_by)) for flag in raised if flag.code in expected} == expected
