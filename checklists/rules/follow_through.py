"""Following a recommended action through (issue 15 §4): what completes it, how long it may stay open, and whose
tier it takes on the worklist.

What happens after an action is recommended, not what recommends it: outside the rules' fingerprint, like
time_frames.py. Hours, not timedeltas: the rules package has no clock.
"""

from . import flags as f
from . import recommendations as r
from .vocabulary import IMAGING_MODALITIES

# A linked imaging order of one of these modalities, once done, completes the action (the same modalities that
# mark it "ordered" at the visit: recommendations.recommend).
COMPLETED_BY_IMAGING = {
    r.MRI_WHOLE_SPINE_24H: frozenset({"mri"}),
    r.MRI_WHOLE_SPINE_1W: frozenset({"mri"}),
    r.XRAY_PAINFUL_BONE: frozenset({"xray", "ct"}),
    r.IMAGE_NEW_PAIN: frozenset(IMAGING_MODALITIES),
}
# How long an action may stay open after its visit, by the words of its time frame (RULES.md §7).
DUE_HOURS = {
    "same day": 24,
    "within 24 hours": 24,
    "within days": 7 * 24,
    "within 1 week": 7 * 24,
}
# The flags an action answers: it takes the highest of their tiers on the worklist.
ANSWERS = {
    r.MRI_WHOLE_SPINE_24H: (f.MSCC_SUSPECTED,),
    r.MRI_WHOLE_SPINE_1W: (f.SPINAL_METASTASIS_PAIN,),
    r.XRAY_PAINFUL_BONE: (f.PATHOLOGICAL_FRACTURE_SUSPECTED,),
    r.IMAGE_NEW_PAIN: (f.NEW_BONE_PAIN,),
    r.CHECK_CALCIUM: (f.HYPERCALCAEMIA_SYMPTOMS, f.ALTERED_MENTAL_STATUS),
    r.ADD_ALBUMIN: (f.CORRECTED_CALCIUM_NOT_COMPUTABLE,),
    r.FULL_BLOOD_COUNT: (f.CYTOPENIA_SYMPTOMS,),
    r.ORAL_REVIEW: (f.ONJ_SYMPTOMS,),
    r.REVIEW_LOW_CALCIUM: (f.HYPOCALCAEMIA_LAB,),
    r.ORTHOPAEDIC_OPINION: (f.MIRELS_FRACTURE_RISK, f.SINS_INSTABILITY),
}


def completed_by(code: str, modality: str) -> bool:
    """Whether a done imaging order of this modality completes the action."""
    return modality in COMPLETED_BY_IMAGING.get(code, frozenset())
