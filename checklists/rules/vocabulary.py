"""The fixed words of the rules: symptom keys, cancers, sites, imaging, medicines (RULES.md §3, §6, §8).

The keys are stable identifiers; the wording here is the default that clinic admins may edit in the app.
`phrase` is how a flag's reason names the symptom, so it stays with the key, not with the admin wording.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str


@dataclass(frozen=True)
class ScreenItem:
    key: str
    section: str
    wording: str
    phrase: str
    sources: tuple[str, ...]


SECTIONS = (
    Section("bone_pain", "Bone pain"),
    Section("fracture", "Fracture"),
    Section("spinal_cord", "Spinal cord"),
    Section("high_calcium", "High calcium"),
    Section("blood_counts", "Blood counts"),
    Section("treatment", "Treatment"),
)

SCREEN_ITEMS = (
    ScreenItem(
        "bone_pain_new",
        "bone_pain",
        "New bone pain, or pain at a new site?",
        "new bone pain or pain at a new site",
        ("ACS-2016", "BCO"),
    ),
    ScreenItem(
        "bone_pain_worse_at_rest_or_night",
        "bone_pain",
        "Pain worse at night, at rest or lying down?",
        "bone pain worse at night, at rest or lying down",
        ("ACS-2016", "WEBMD-2021", "BCO", "CRUK-2013"),
    ),
    ScreenItem(
        "spinal_pain_new",
        "bone_pain",
        "New or worsening pain in the back or neck?",
        "new or worsening back or neck pain",
        ("ACS-2016", "BCO"),
    ),
    ScreenItem(
        "sudden_severe_pain", "fracture", "Sudden severe pain?", "sudden severe pain", ("ACS-2016", "WEBMD-2021", "BCO")
    ),
    ScreenItem(
        "unable_to_move_affected_part",
        "fracture",
        "Unable to move or bear weight on the painful part?",
        "unable to move or bear weight on the painful part",
        ("BCO", "ACS-2016"),
    ),
    ScreenItem(
        "pain_after_minor_activity",
        "fracture",
        "Did it start with an everyday activity (coughing, sitting down, lifting)?",
        "pain that started with an everyday activity",
        ("WEBMD-2021", "ACS-2016"),
    ),
    ScreenItem(
        "limb_weakness",
        "spinal_cord",
        "New weakness in the legs or arms?",
        "new weakness in the legs or arms",
        ("MAYO-2022", "CRUK-2013", "BCO"),
    ),
    ScreenItem(
        "numbness",
        "spinal_cord",
        "New numbness or tingling in an area of the body?",
        "new numbness or tingling",
        ("ACS-2016", "WEBMD-2021", "CRUK-2013", "BCO"),
    ),
    ScreenItem(
        "difficulty_walking",
        "spinal_cord",
        "New difficulty walking?",
        "new difficulty walking",
        ("ACS-2016", "NICE-CG75"),
    ),
    ScreenItem(
        "urinary_difficulty",
        "spinal_cord",
        "New trouble passing urine?",
        "new trouble passing urine",
        ("ACS-2016", "BCO", "WEBMD-2021"),
    ),
    ScreenItem(
        "urinary_incontinence",
        "spinal_cord",
        "Loss of bladder control?",
        "loss of bladder control",
        ("MAYO-2022", "CRUK-2013"),
    ),
    ScreenItem(
        "bowel_incontinence",
        "spinal_cord",
        "Loss of bowel control?",
        "loss of bowel control",
        ("MAYO-2022", "CRUK-2013"),
    ),
    ScreenItem(
        "constipation_new",
        "high_calcium",
        "New constipation?",
        "new constipation",
        ("ACS-2016", "MAYO-2022", "WEBMD-2021", "CRUK-2013", "BCO"),
    ),
    ScreenItem("nausea", "high_calcium", "Nausea?", "nausea", ("ACS-2016", "MAYO-2022", "WEBMD-2021", "BCO")),
    ScreenItem("vomiting", "high_calcium", "Vomiting?", "vomiting", ("MAYO-2022", "CRUK-2013")),
    ScreenItem("loss_of_appetite", "high_calcium", "Loss of appetite?", "loss of appetite", ("ACS-2016", "BCO")),
    ScreenItem("extreme_thirst", "high_calcium", "Extreme thirst?", "extreme thirst", ("ACS-2016",)),
    ScreenItem(
        "polyuria",
        "high_calcium",
        "Passing much more urine than usual?",
        "passing much more urine than usual",
        ("ACS-2016",),
    ),
    ScreenItem(
        "dehydration",
        "high_calcium",
        "Signs of dehydration?",
        "signs of dehydration",
        ("ACS-2016", "WEBMD-2021", "BCO"),
    ),
    ScreenItem("fatigue", "high_calcium", "Unusual tiredness?", "unusual tiredness", ("ACS-2016", "BCO")),
    ScreenItem(
        "generalised_weakness",
        "high_calcium",
        "General weakness (all over, not one limb)?",
        "general weakness all over",
        ("ACS-2016", "BCO"),
    ),
    ScreenItem("kidney_stones", "high_calcium", "Kidney stones?", "kidney stones", ("CRUK-2013",)),
    ScreenItem("confusion", "high_calcium", "New confusion?", "new confusion", ("ACS-2016", "MAYO-2022", "CRUK-2013")),
    ScreenItem(
        "drowsiness", "high_calcium", "Unusually sleepy or drowsy?", "unusual sleepiness or drowsiness", ("ACS-2016",)
    ),
    ScreenItem(
        "unresponsive_or_coma",
        "high_calcium",
        "Unresponsive, or hard to rouse?",
        "unresponsive or hard to rouse",
        ("ACS-2016", "WEBMD-2021"),
    ),
    ScreenItem(
        "bruising_or_bleeding",
        "blood_counts",
        "Unusual bruising or bleeding?",
        "unusual bruising or bleeding",
        ("CRUK-2013",),
    ),
    ScreenItem(
        "frequent_infections",
        "blood_counts",
        "Frequent or repeated infections?",
        "frequent or repeated infections",
        ("CRUK-2013",),
    ),
    ScreenItem(
        "jaw_symptoms",
        "treatment",
        "Jaw pain, exposed bone in the mouth, gum ulcer or a socket that won't heal?",
        "jaw pain, exposed bone, a gum ulcer or a socket that won't heal",
        ("WEBMD-2021", "XGEVA-LABEL"),
    ),
    ScreenItem("hair_loss", "treatment", "Hair loss? (recorded; raises no flag)", "hair loss", ("WEBMD-2021",)),
)

SCREEN_ITEMS_BY_KEY = {item.key: item for item in SCREEN_ITEMS}
SYMPTOM_KEYS = frozenset(SCREEN_ITEMS_BY_KEY)

PRIMARY_CANCERS = (
    "breast",
    "prostate",
    "lung",
    "kidney",
    "thyroid",
    "lymphoma",
    "multiple_myeloma",
    "other",
)
OTHER_CANCER_PREFIX = "other:"

KNOWN_SITES = (
    "spine_cervical",
    "spine_thoracic",
    "spine_lumbar",
    "sacrum",
    "pelvis",
    "femur",
    "humerus",
    "tibia",
    "ribs",
    "skull",
    "other",
)

IMAGING_MODALITIES = ("xray", "bone_scan", "ct", "mri", "pet")

ANTIRESORPTIVES = (
    "zoledronic_acid",
    "pamidronate",
    "ibandronate",
    "alendronate",
    "risedronate",
    "clodronate",
    "denosumab",
)

# Decision (safety): staff often type the brand name; "Xgeva" must count as denosumab, or a jaw
# problem on denosumab would raise no ONJ flag.
ANTIRESORPTIVE_BRANDS = {
    "xgeva": "denosumab",
    "prolia": "denosumab",
    "zometa": "zoledronic_acid",
    "aclasta": "zoledronic_acid",
    "reclast": "zoledronic_acid",
    "zoledronate": "zoledronic_acid",
    "aredia": "pamidronate",
    "bondronat": "ibandronate",
    "boniva": "ibandronate",
    "fosamax": "alendronate",
    "actonel": "risedronate",
    "bonefos": "clodronate",
    "loron": "clodronate",
}


def normalise_medication(name: str) -> str:
    """Return the identifier of a medicine as typed ("Zoledronic acid" -> "zoledronic_acid")."""
    identifier = "_".join(name.strip().lower().replace("-", " ").split())
    return ANTIRESORPTIVE_BRANDS.get(identifier, identifier)


def is_primary_cancer(value: str) -> bool:
    if value in PRIMARY_CANCERS:
        return True
    return value.startswith(OTHER_CANCER_PREFIX) and bool(value[len(OTHER_CANCER_PREFIX) :].strip())
