"""The thirteen flags of RULES.md §6: when each fires, how urgently, why in plain words, on whose authority."""

from dataclasses import dataclass

from . import scores, units
from .findings import Findings
from .labs import BASIS_CORRECTED, BASIS_IONIZED, AlpAssessment, CalciumAssessment
from .tiers import Tier
from .vocabulary import SCREEN_ITEMS_BY_KEY

MSCC_SUSPECTED = "MSCC_SUSPECTED"
SPINAL_METASTASIS_PAIN = "SPINAL_METASTASIS_PAIN"
PATHOLOGICAL_FRACTURE_SUSPECTED = "PATHOLOGICAL_FRACTURE_SUSPECTED"
NEW_BONE_PAIN = "NEW_BONE_PAIN"
HYPERCALCAEMIA_LAB = "HYPERCALCAEMIA_LAB"
CORRECTED_CALCIUM_NOT_COMPUTABLE = "CORRECTED_CALCIUM_NOT_COMPUTABLE"
HYPERCALCAEMIA_SYMPTOMS = "HYPERCALCAEMIA_SYMPTOMS"
ALTERED_MENTAL_STATUS = "ALTERED_MENTAL_STATUS"
ALP_ELEVATED = "ALP_ELEVATED"
ONJ_SYMPTOMS = "ONJ_SYMPTOMS"
CYTOPENIA_SYMPTOMS = "CYTOPENIA_SYMPTOMS"
MIRELS_FRACTURE_RISK = "MIRELS_FRACTURE_RISK"
SINS_INSTABILITY = "SINS_INSTABILITY"


@dataclass(frozen=True)
class FlagRule:
    code: str
    title: str
    sources: tuple[str, ...]
    triggers: tuple[str, ...] = ()  # screen items that raise it on their own; the safety floor


RULES = (
    FlagRule(
        MSCC_SUSPECTED,
        "Suspected spinal cord compression",
        ("CRUK-2013", "ACS-2016", "WEBMD-2021", "MAYO-2022", "BCO", "NICE-CG75", "NICE-NG234"),
        (
            "limb_weakness",
            "numbness",
            "difficulty_walking",
            "urinary_difficulty",
            "urinary_incontinence",
            "bowel_incontinence",
        ),
    ),
    FlagRule(
        SPINAL_METASTASIS_PAIN,
        "New spinal pain: possible spinal metastasis",
        ("ACS-2016", "BCO", "NICE-CG75", "NICE-NG234"),
        ("spinal_pain_new",),
    ),
    FlagRule(
        PATHOLOGICAL_FRACTURE_SUSPECTED,
        "Suspected pathological fracture",
        ("ACS-2016", "WEBMD-2021", "BCO"),
        ("sudden_severe_pain", "unable_to_move_affected_part", "pain_after_minor_activity"),
    ),
    FlagRule(
        NEW_BONE_PAIN, "New bone pain", ("ACS-2016", "BCO"), ("bone_pain_new", "bone_pain_worse_at_rest_or_night")
    ),
    FlagRule(HYPERCALCAEMIA_LAB, "High calcium (hypercalcaemia)", ("CTCAE-v5", "BCO", "ACS-2016")),
    FlagRule(CORRECTED_CALCIUM_NOT_COMPUTABLE, "Calcium not corrected: no albumin result", ("PAYNE",)),
    FlagRule(
        HYPERCALCAEMIA_SYMPTOMS,
        "Symptoms of high calcium",
        ("ACS-2016", "MAYO-2022", "WEBMD-2021", "CRUK-2013", "BCO"),
        (
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
        ),
    ),
    FlagRule(
        ALTERED_MENTAL_STATUS,
        "Altered mental status",
        ("ACS-2016", "MAYO-2022", "CRUK-2013", "WEBMD-2021"),
        ("unresponsive_or_coma", "confusion", "drowsiness"),
    ),
    FlagRule(ALP_ELEVATED, "Raised alkaline phosphatase (ALP)", ("BCO", "CTCAE-v5")),
    FlagRule(ONJ_SYMPTOMS, "Possible osteonecrosis of the jaw", ("WEBMD-2021", "XGEVA-LABEL"), ("jaw_symptoms",)),
    FlagRule(
        CYTOPENIA_SYMPTOMS, "Signs of low blood counts", ("CRUK-2013",), ("bruising_or_bleeding", "frequent_infections")
    ),
    FlagRule(MIRELS_FRACTURE_RISK, "Long-bone fracture risk (Mirels)", ("MIRELS-1989",)),
    FlagRule(SINS_INSTABILITY, "Spinal instability (SINS)", ("SINS-2010",)),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}
CODE_ORDER = {rule.code: position for position, rule in enumerate(RULES)}

# Items that a built-in emergency or urgent rule depends on: they can never be retired or hidden.
SAFETY_FLOOR = frozenset(
    (
        "limb_weakness",
        "numbness",
        "difficulty_walking",
        "urinary_difficulty",
        "urinary_incontinence",
        "bowel_incontinence",
        "constipation_new",
        "spinal_pain_new",
        "sudden_severe_pain",
        "unable_to_move_affected_part",
        "pain_after_minor_activity",
        "unresponsive_or_coma",
        "confusion",
        "drowsiness",
    )
)


@dataclass(frozen=True)
class Flag:
    code: str
    tier: Tier
    title: str
    reason: str
    sources: tuple[str, ...]


def _flag(code: str, tier: Tier, reason: str) -> Flag:
    rule = RULES_BY_CODE[code]
    return Flag(code, tier, rule.title, reason, rule.sources)


def _sentence(phrases: list[str]) -> str:
    """Join phrases as staff would say them: "a", "a and b", "a, b and c", capitalised."""
    text = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
    return text[0].upper() + text[1:]


def _present(findings: Findings, keys) -> list[str]:
    """Return the phrases of the given keys that were answered yes, in the order of the rule."""
    return [SCREEN_ITEMS_BY_KEY[key].phrase for key in keys if key in findings.symptoms]


def _any_of(findings: Findings, code: str, tier: Tier, meaning: str) -> list[Flag]:
    """Raise the flag when any of its items was answered yes; the reason names each one."""
    phrases = _present(findings, RULES_BY_CODE[code].triggers)
    if not phrases:
        return []
    return [_flag(code, tier, f"{_sentence(phrases)}: {meaning}")]


def _mscc(findings: Findings) -> list[Flag]:
    neurological = _present(findings, RULES_BY_CODE[MSCC_SUSPECTED].triggers)
    constipation_with_spinal_pain = {"constipation_new", "spinal_pain_new"} <= findings.symptoms
    if not neurological and not constipation_with_spinal_pain:
        return []
    phrases = list(neurological)
    if constipation_with_spinal_pain:
        phrases.append("new constipation together with new or worsening back or neck pain")
    elif "spinal_pain_new" in findings.symptoms:
        phrases.append(SCREEN_ITEMS_BY_KEY["spinal_pain_new"].phrase)
    reason = f"{_sentence(phrases)}: signs of spinal cord compression, an oncological emergency."
    return [_flag(MSCC_SUSPECTED, Tier.EMERGENCY, reason)]


def _spinal_pain(findings: Findings) -> list[Flag]:
    if "spinal_pain_new" not in findings.symptoms:
        return []
    reason = "New or worsening back or neck pain: may be a spinal metastasis and the earliest sign of cord compression."
    return [_flag(SPINAL_METASTASIS_PAIN, Tier.URGENT, reason)]


def _fracture(findings: Findings) -> list[Flag]:
    symptoms = findings.symptoms
    if "sudden_severe_pain" not in symptoms:
        return []
    companions = _present(findings, ("unable_to_move_affected_part", "pain_after_minor_activity"))
    if not companions:
        return []
    reason = f"{_sentence(['sudden severe pain', *companions])}: the bone may have broken."
    return [_flag(PATHOLOGICAL_FRACTURE_SUSPECTED, Tier.URGENT, reason)]


NEW_BONE_PAIN_MEANING = "new pain that might come from a bone should be checked, even if it seems like arthritis."

_CALCIUM_TIERS = {1: Tier.PROMPT_REVIEW, 2: Tier.PROMPT_REVIEW, 3: Tier.URGENT, 4: Tier.EMERGENCY}


def _calcium(calcium: CalciumAssessment | None) -> list[Flag]:
    if calcium is None:
        return []
    flags = []
    if calcium.ctcae_grade >= 1:
        if calcium.basis == BASIS_CORRECTED:
            what = f"Corrected calcium {calcium.graded}"
        elif calcium.basis == BASIS_IONIZED:
            what = f"Ionized calcium {calcium.graded}"
        else:
            what = f"Total calcium {calcium.graded} (uncorrected: no albumin)"
        reason = f"{what} \u2014 CTCAE grade {calcium.ctcae_grade} ({calcium.band})"
        flags.append(_flag(HYPERCALCAEMIA_LAB, _CALCIUM_TIERS[calcium.ctcae_grade], reason))
    if calcium.basis not in (BASIS_CORRECTED, BASIS_IONIZED):
        reason = (
            f"Total calcium {calcium.graded} was reported without an albumin result, so it could not be "
            "corrected; the measured value was graded instead."
        )
        flags.append(_flag(CORRECTED_CALCIUM_NOT_COMPUTABLE, Tier.ROUTINE, reason))
    return flags


def _mental_status(findings: Findings) -> list[Flag]:
    if "unresponsive_or_coma" in findings.symptoms:
        phrases = _present(findings, RULES_BY_CODE[ALTERED_MENTAL_STATUS].triggers)
        return [_flag(ALTERED_MENTAL_STATUS, Tier.EMERGENCY, f"{_sentence(phrases)}.")]
    phrases = _present(findings, ("confusion", "drowsiness"))
    if not phrases:
        return []
    return [_flag(ALTERED_MENTAL_STATUS, Tier.URGENT, f"{_sentence(phrases)}: may be high calcium or other causes.")]


def _alp(alp: AlpAssessment | None, value) -> list[Flag]:
    if alp is None or alp.ctcae_grade < 1:
        return []
    reason = (
        f"ALP {units.fmt(value)} U/L = {units.fmt(alp.ratio)} \u00d7 {alp.reference} "
        f"({units.fmt(alp.reference_value)} U/L) \u2014 CTCAE grade {alp.ctcae_grade} ({alp.band})"
    )
    return [_flag(ALP_ELEVATED, Tier.PROMPT_REVIEW, reason)]


def _onj(findings: Findings) -> list[Flag]:
    agents = sorted(findings.antiresorptives)
    if "jaw_symptoms" not in findings.symptoms or not agents:
        return []
    on = " and ".join(agent.replace("_", " ") for agent in agents)
    reason = f"{_sentence([SCREEN_ITEMS_BY_KEY['jaw_symptoms'].phrase])} while on {on}."
    return [_flag(ONJ_SYMPTOMS, Tier.PROMPT_REVIEW, reason)]


def _mirels(score: scores.Score | None) -> list[Flag]:
    if score is None or score.total < 8:
        return []
    if score.total >= 9:
        reason = f"Mirels score {score.total} of 12: high risk of pathological fracture (9 or more)."
        return [_flag(MIRELS_FRACTURE_RISK, Tier.URGENT, reason)]
    reason = "Mirels score 8 of 12: borderline (the 1989 paper advised fixation at 8 or more)."
    return [_flag(MIRELS_FRACTURE_RISK, Tier.PROMPT_REVIEW, reason)]


def _sins(score: scores.Score | None) -> list[Flag]:
    if score is None or score.total < 7:
        return []
    if score.total >= 13:
        return [_flag(SINS_INSTABILITY, Tier.URGENT, f"SINS {score.total} of 18: unstable (13\u201318).")]
    reason = f"SINS {score.total} of 18: potentially unstable (7\u201312)."
    return [_flag(SINS_INSTABILITY, Tier.PROMPT_REVIEW, reason)]


STAFF_ITEM_PREFIX = "ITEM_"


def _staff_items(findings: Findings) -> list[Flag]:
    """Flags of the items clinic admins added, with the tier, title and sources they gave."""
    return [
        Flag(
            f"{STAFF_ITEM_PREFIX}{item.key.upper()}",
            Tier(item.tier),
            item.title,
            f"Answered yes: {item.wording}",
            item.sources,
        )
        for item in findings.staff_items
    ]


def _order(flag: Flag) -> tuple:
    return (-flag.tier.rank, CODE_ORDER.get(flag.code, len(CODE_ORDER)), flag.code)


def raise_flags(findings, calcium, alp, mirels, sins) -> list[Flag]:
    """Return every flag the findings raise, highest tier first, then in the order of RULES.md §6."""
    flags = [
        *_mscc(findings),
        *_spinal_pain(findings),
        *_fracture(findings),
        *_any_of(findings, NEW_BONE_PAIN, Tier.PROMPT_REVIEW, NEW_BONE_PAIN_MEANING),
        *_calcium(calcium),
        *_any_of(findings, HYPERCALCAEMIA_SYMPTOMS, Tier.PROMPT_REVIEW, "may be high calcium."),
        *_mental_status(findings),
        *_alp(alp, findings.alp.value if findings.alp else None),
        *_onj(findings),
        *_any_of(findings, CYTOPENIA_SYMPTOMS, Tier.PROMPT_REVIEW, "the marrow may be crowded out."),
        *_mirels(mirels),
        *_sins(sins),
        *_staff_items(findings),
    ]
    return sorted(flags, key=_order)
