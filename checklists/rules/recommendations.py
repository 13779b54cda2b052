"""Recommended actions (care gaps) of RULES.md §7, each marked satisfied when the visit already did it."""

from dataclasses import dataclass

from . import flags as f
from .findings import Findings

MRI_WHOLE_SPINE_24H = "MRI_WHOLE_SPINE_24H"
MRI_WHOLE_SPINE_1W = "MRI_WHOLE_SPINE_1W"
XRAY_PAINFUL_BONE = "XRAY_PAINFUL_BONE"
IMAGE_NEW_PAIN = "IMAGE_NEW_PAIN"
CHECK_CALCIUM = "CHECK_CALCIUM"
ADD_ALBUMIN = "ADD_ALBUMIN"
FULL_BLOOD_COUNT = "FULL_BLOOD_COUNT"
ORAL_REVIEW = "ORAL_REVIEW"
REVIEW_LOW_CALCIUM = "REVIEW_LOW_CALCIUM"
ORTHOPAEDIC_OPINION = "ORTHOPAEDIC_OPINION"


@dataclass(frozen=True)
class Action:
    code: str
    text: str
    due: str
    sources: tuple[str, ...]


ACTIONS = (
    Action(
        MRI_WHOLE_SPINE_24H,
        "Contact the MSCC coordinator now; whole-spine MRI within 24 hours",
        "within 24 hours",
        ("NICE-NG234", "NICE-CG75"),
    ),
    Action(
        MRI_WHOLE_SPINE_1W,
        "Contact the MSCC coordinator within 24 hours; whole-spine MRI within 1 week",
        "within 1 week",
        ("NICE-CG75", "NICE-NG234"),
    ),
    Action(XRAY_PAINFUL_BONE, "X-ray of the painful bone", "within 24 hours", ("WEBMD-2021",)),
    Action(
        IMAGE_NEW_PAIN,
        "Consider imaging of the painful site: X-ray, bone scan, CT, MRI or PET",
        "within days",
        ("WEBMD-2021", "BCO"),
    ),
    Action(CHECK_CALCIUM, "Check serum calcium and albumin", "same day", ("BCO",)),
    Action(ADD_ALBUMIN, "Add albumin, or measure ionized calcium", "same day", ("PAYNE",)),
    Action(FULL_BLOOD_COUNT, "Full blood count", "within days", ("CRUK-2013",)),
    Action(ORAL_REVIEW, "Dental / oral assessment; tell the prescriber", "within days", ("XGEVA-LABEL",)),
    # Decision: "same day", as for the other calcium actions: a low calcium on an antiresorptive can be fatal.
    Action(
        REVIEW_LOW_CALCIUM,
        "Repeat calcium with albumin; ask about tingling, cramps and spasms; review calcium and vitamin D "
        "supplements and the antiresorptive with the prescriber",
        "same day",
        ("XGEVA-LABEL",),
    ),
    Action(ORTHOPAEDIC_OPINION, "Orthopaedic / spinal surgical opinion", "within days", ("MIRELS-1989", "SINS-2010")),
)
ACTIONS_BY_CODE = {action.code: action for action in ACTIONS}


@dataclass(frozen=True)
class Recommendation:
    code: str
    text: str
    due: str
    sources: tuple[str, ...]
    satisfied: bool


def _recommend(code: str, satisfied: bool) -> Recommendation:
    """The action with its text, time frame and sources, and whether this visit already did it."""
    action = ACTIONS_BY_CODE[code]
    return Recommendation(action.code, action.text, action.due, action.sources, satisfied)


def recommend(findings: Findings, raised: list[f.Flag]) -> list[Recommendation]:
    """Return the recommended actions in the order of RULES.md §7 (Mirels ≥ 8 and SINS ≥ 7 are exactly when their
    flags fire, so the orthopaedic opinion follows the flags)."""
    codes = {flag.code for flag in raised}
    imaging = findings.imaging_ordered
    wanted = []
    if f.MSCC_SUSPECTED in codes:
        wanted.append(_recommend(MRI_WHOLE_SPINE_24H, "mri" in imaging))
    elif f.SPINAL_METASTASIS_PAIN in codes:
        wanted.append(_recommend(MRI_WHOLE_SPINE_1W, "mri" in imaging))
    if f.PATHOLOGICAL_FRACTURE_SUSPECTED in codes:
        wanted.append(_recommend(XRAY_PAINFUL_BONE, bool({"xray", "ct"} & imaging)))
    if f.NEW_BONE_PAIN in codes:
        wanted.append(_recommend(IMAGE_NEW_PAIN, bool(imaging)))
    # Decision: shown whenever the symptoms are; "no calcium result at this visit" is what `satisfied` tells.
    if codes & {f.HYPERCALCAEMIA_SYMPTOMS, f.ALTERED_MENTAL_STATUS}:
        wanted.append(_recommend(CHECK_CALCIUM, findings.calcium is not None))
    if f.CORRECTED_CALCIUM_NOT_COMPUTABLE in codes:
        wanted.append(_recommend(ADD_ALBUMIN, False))
    if f.CYTOPENIA_SYMPTOMS in codes:
        wanted.append(_recommend(FULL_BLOOD_COUNT, False))
    if f.ONJ_SYMPTOMS in codes:
        wanted.append(_recommend(ORAL_REVIEW, False))
    if f.HYPOCALCAEMIA_LAB in codes:
        wanted.append(_recommend(REVIEW_LOW_CALCIUM, False))
    if f.MIRELS_FRACTURE_RISK in codes or f.SINS_INSTABILITY in codes:
        wanted.append(_recommend(ORTHOPAEDIC_OPINION, False))
    return wanted
