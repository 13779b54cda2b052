"""The fourteen flags of RULES.md §6: when each fires, how urgently, why in plain words, on whose authority."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from . import scores, units
from .findings import Findings, StaffItem
from .labs import BASIS_CORRECTED, BASIS_IONIZED, AlpAssessment, CalciumAssessment
from .tiers import SERIOUS, Tier
from .vocabulary import SCREEN_ITEMS_BY_KEY

MSCC_SUSPECTED = "MSCC_SUSPECTED"
SPINAL_METASTASIS_PAIN = "SPINAL_METASTASIS_PAIN"
PATHOLOGICAL_FRACTURE_SUSPECTED = "PATHOLOGICAL_FRACTURE_SUSPECTED"
NEW_BONE_PAIN = "NEW_BONE_PAIN"
HYPERCALCAEMIA_LAB = "HYPERCALCAEMIA_LAB"
HYPOCALCAEMIA_LAB = "HYPOCALCAEMIA_LAB"
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
    tiers: tuple[Tier, ...]  # every tier it can be raised at
    triggers: tuple[str, ...] = ()  # screen items that raise it on their own
    also_reads: tuple[str, ...] = ()  # items it reads only in combination (constipation with back pain)


RULES = (
    FlagRule(
        MSCC_SUSPECTED,
        "Suspected spinal cord compression",
        ("CRUK-2013", "ACS-2016", "WEBMD-2021", "MAYO-2022", "BCO", "NICE-CG75", "NICE-NG234"),
        (Tier.EMERGENCY,),
        (
            "limb_weakness",
            "numbness",
            "difficulty_walking",
            "urinary_difficulty",
            "urinary_incontinence",
            "bowel_incontinence",
        ),
        ("constipation_new", "spinal_pain_new"),
    ),
    FlagRule(
        SPINAL_METASTASIS_PAIN,
        "New spinal pain: possible spinal metastasis",
        ("ACS-2016", "BCO", "NICE-CG75", "NICE-NG234"),
        (Tier.URGENT,),
        ("spinal_pain_new",),
    ),
    FlagRule(
        PATHOLOGICAL_FRACTURE_SUSPECTED,
        "Suspected pathological fracture",
        ("ACS-2016", "WEBMD-2021", "BCO"),
        (Tier.URGENT,),
        ("sudden_severe_pain", "unable_to_move_affected_part", "pain_after_minor_activity"),
    ),
    FlagRule(
        NEW_BONE_PAIN,
        "New bone pain",
        ("ACS-2016", "BCO"),
        (Tier.PROMPT_REVIEW,),
        ("bone_pain_new", "bone_pain_worse_at_rest_or_night"),
    ),
    FlagRule(
        HYPERCALCAEMIA_LAB,
        "High calcium (hypercalcaemia)",
        ("CTCAE-v5", "BCO", "ACS-2016"),
        (Tier.PROMPT_REVIEW, Tier.URGENT, Tier.EMERGENCY),
    ),
    FlagRule(
        HYPOCALCAEMIA_LAB,
        "Low calcium (hypocalcaemia)",
        ("CTCAE-v5", "XGEVA-LABEL"),
        (Tier.PROMPT_REVIEW, Tier.URGENT, Tier.EMERGENCY),
    ),
    FlagRule(CORRECTED_CALCIUM_NOT_COMPUTABLE, "Calcium not corrected: no albumin result", ("PAYNE",), (Tier.ROUTINE,)),
    FlagRule(
        HYPERCALCAEMIA_SYMPTOMS,
        "Symptoms of high calcium",
        ("ACS-2016", "MAYO-2022", "WEBMD-2021", "CRUK-2013", "BCO"),
        (Tier.PROMPT_REVIEW,),
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
        (Tier.URGENT, Tier.EMERGENCY),
        ("unresponsive_or_coma", "confusion", "drowsiness"),
    ),
    FlagRule(ALP_ELEVATED, "Raised alkaline phosphatase (ALP)", ("BCO", "CTCAE-v5"), (Tier.PROMPT_REVIEW,)),
    FlagRule(
        ONJ_SYMPTOMS,
        "Possible osteonecrosis of the jaw",
        ("WEBMD-2021", "XGEVA-LABEL"),
        (Tier.PROMPT_REVIEW,),
        ("jaw_symptoms",),
    ),
    FlagRule(
        CYTOPENIA_SYMPTOMS,
        "Signs of low blood counts",
        ("CRUK-2013",),
        (Tier.PROMPT_REVIEW,),
        ("bruising_or_bleeding", "frequent_infections"),
    ),
    FlagRule(
        MIRELS_FRACTURE_RISK, "Long-bone fracture risk (Mirels)", ("MIRELS-1989",), (Tier.PROMPT_REVIEW, Tier.URGENT)
    ),
    FlagRule(SINS_INSTABILITY, "Spinal instability (SINS)", ("SINS-2010",), (Tier.PROMPT_REVIEW, Tier.URGENT)),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}
# The flags each trend chart marks a point for: its visit raised one of them.
PAIN_FLAGS = frozenset({NEW_BONE_PAIN, SPINAL_METASTASIS_PAIN, PATHOLOGICAL_FRACTURE_SUSPECTED, MSCC_SUSPECTED})
CALCIUM_FLAGS = frozenset({HYPERCALCAEMIA_LAB, HYPOCALCAEMIA_LAB})
ALP_FLAGS = frozenset({ALP_ELEVATED})

CODE_ORDER = {rule.code: position for position, rule in enumerate(RULES)}

# The items a built-in rule that can be urgent or an emergency reads: each must be answered before a visit is
# complete, and can never be retired (DESIGN.md §3, "safety floor"). Derived, so a new rule extends it.
SAFETY_FLOOR = frozenset(
    item for rule in RULES if SERIOUS & set(rule.tiers) for item in (*rule.triggers, *rule.also_reads)
)


@dataclass(frozen=True)
class Flag:
    code: str
    tier: Tier
    title: str
    reason: str
    sources: tuple[str, ...]
    # How severe, for "no worse than when it was reviewed": a CTCAE grade or a score total (None for symptoms),
    # and the screen items that raised it.
    grade: int | None = None
    triggered_by: frozenset[str] = frozenset()


def _flag(code: str, tier: Tier, reason: str, *, grade: int | None = None, triggered_by: Iterable[str] = ()) -> Flag:
    rule = RULES_BY_CODE[code]
    return Flag(code, tier, rule.title, reason, rule.sources, grade, frozenset(triggered_by))


def _sentence(phrases: list[str]) -> str:
    """Join phrases as staff would say them: "a", "a and b", "a, b and c", capitalised."""
    text = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
    return text[0].upper() + text[1:]


def _yes(findings: Findings, keys: Iterable[str]) -> list[str]:
    """The given keys that were answered yes, in the order given."""
    return [key for key in keys if key in findings.symptoms]


def _phrases(keys: Iterable[str]) -> list[str]:
    return [SCREEN_ITEMS_BY_KEY[key].phrase for key in keys]


def _any_of(findings: Findings, code: str, tier: Tier, meaning: str) -> list[Flag]:
    """Raise the flag when any of its items was answered yes; the reason names each one."""
    present = _yes(findings, RULES_BY_CODE[code].triggers)
    if not present:
        return []
    return [_flag(code, tier, f"{_sentence(_phrases(present))}: {meaning}", triggered_by=present)]


def _mscc(findings: Findings) -> list[Flag]:
    neurological = _yes(findings, RULES_BY_CODE[MSCC_SUSPECTED].triggers)
    constipation_with_spinal_pain = {"constipation_new", "spinal_pain_new"} <= findings.symptoms
    if not neurological and not constipation_with_spinal_pain:
        return []
    phrases = _phrases(neurological)
    if constipation_with_spinal_pain:
        phrases.append("new constipation together with new or worsening back or neck pain")
    elif "spinal_pain_new" in findings.symptoms:
        phrases.append(SCREEN_ITEMS_BY_KEY["spinal_pain_new"].phrase)
    present = [*neurological, *_yes(findings, RULES_BY_CODE[MSCC_SUSPECTED].also_reads)]
    reason = f"{_sentence(phrases)}: signs of spinal cord compression, an oncological emergency."
    return [_flag(MSCC_SUSPECTED, Tier.EMERGENCY, reason, triggered_by=present)]


def _spinal_pain(findings: Findings) -> list[Flag]:
    if "spinal_pain_new" not in findings.symptoms:
        return []
    reason = "New or worsening back or neck pain: may be a spinal metastasis and the earliest sign of cord compression."
    return [_flag(SPINAL_METASTASIS_PAIN, Tier.URGENT, reason, triggered_by=["spinal_pain_new"])]


def _fracture(findings: Findings) -> list[Flag]:
    if "sudden_severe_pain" not in findings.symptoms:
        return []
    companions = _yes(findings, ("unable_to_move_affected_part", "pain_after_minor_activity"))
    if not companions:
        return []
    reason = f"{_sentence(['sudden severe pain', *_phrases(companions)])}: the bone may have broken."
    return [
        _flag(PATHOLOGICAL_FRACTURE_SUSPECTED, Tier.URGENT, reason, triggered_by=["sudden_severe_pain", *companions])
    ]


NEW_BONE_PAIN_MEANING = "new pain that might come from a bone should be checked, even if it seems like arthritis."

# A calcium flag's tier by CTCAE grade, high or low alike (RULES.md §6).
CALCIUM_TIERS = {1: Tier.PROMPT_REVIEW, 2: Tier.PROMPT_REVIEW, 3: Tier.URGENT, 4: Tier.EMERGENCY}


def _calcium_measured(calcium: CalciumAssessment) -> str:
    if calcium.basis == BASIS_CORRECTED:
        return f"Corrected calcium {calcium.graded}"
    if calcium.basis == BASIS_IONIZED:
        return f"Ionized calcium {calcium.graded}"
    return f"Total calcium {calcium.graded} (uncorrected: no albumin)"


def _calcium(calcium: CalciumAssessment | None) -> list[Flag]:
    if calcium is None:
        return []
    flags = []
    grade = calcium.ctcae_grade
    if grade >= 1:
        reason = f"{_calcium_measured(calcium)} \u2014 CTCAE grade {grade} ({calcium.band})"
        flags.append(_flag(HYPERCALCAEMIA_LAB, CALCIUM_TIERS[grade], reason, grade=grade))
    low = calcium.hypocalcaemia_grade
    if low >= 1:
        reason = f"{_calcium_measured(calcium)} \u2014 CTCAE grade {low} hypocalcaemia ({calcium.hypocalcaemia_band})"
        flags.append(_flag(HYPOCALCAEMIA_LAB, CALCIUM_TIERS[low], reason, grade=low))
    if calcium.basis not in (BASIS_CORRECTED, BASIS_IONIZED):
        reason = (
            f"Total calcium {calcium.graded} was reported without an albumin result, so it could not be "
            "corrected; the measured value was graded instead."
        )
        flags.append(_flag(CORRECTED_CALCIUM_NOT_COMPUTABLE, Tier.ROUTINE, reason))
    return flags


def _mental_status(findings: Findings) -> list[Flag]:
    if "unresponsive_or_coma" in findings.symptoms:
        present = _yes(findings, RULES_BY_CODE[ALTERED_MENTAL_STATUS].triggers)
        reason = f"{_sentence(_phrases(present))}."
        return [_flag(ALTERED_MENTAL_STATUS, Tier.EMERGENCY, reason, triggered_by=present)]
    present = _yes(findings, ("confusion", "drowsiness"))
    if not present:
        return []
    reason = f"{_sentence(_phrases(present))}: may be high calcium or other causes."
    return [_flag(ALTERED_MENTAL_STATUS, Tier.URGENT, reason, triggered_by=present)]


def _alp(alp: AlpAssessment | None, value: Decimal | None) -> list[Flag]:
    if alp is None or value is None or alp.ctcae_grade < 1:
        return []
    reason = (
        f"ALP {units.fmt(value)} U/L = {units.fmt(alp.ratio)} \u00d7 {alp.reference} "
        f"({units.fmt(alp.reference_value)} U/L) \u2014 CTCAE grade {alp.ctcae_grade} ({alp.band})"
    )
    return [_flag(ALP_ELEVATED, Tier.PROMPT_REVIEW, reason, grade=alp.ctcae_grade)]


def _onj(findings: Findings) -> list[Flag]:
    agents = sorted(findings.antiresorptives)
    if "jaw_symptoms" not in findings.symptoms or not agents:
        return []
    on = " and ".join(agent.replace("_", " ") for agent in agents)
    reason = f"{_sentence([SCREEN_ITEMS_BY_KEY['jaw_symptoms'].phrase])} while on {on}."
    return [_flag(ONJ_SYMPTOMS, Tier.PROMPT_REVIEW, reason, triggered_by=["jaw_symptoms"])]


def _mirels(score: scores.Score | None) -> list[Flag]:
    if score is None or score.band == scores.MIRELS_LOW:
        return []
    if score.band == scores.MIRELS_HIGH:
        reason = (
            f"Mirels score {score.total} of {scores.MIRELS_MAX}: high risk of pathological fracture "
            f"({scores.MIRELS_HIGH_FROM} or more)."
        )
        return [_flag(MIRELS_FRACTURE_RISK, Tier.URGENT, reason, grade=score.total)]
    reason = (
        f"Mirels score {score.total} of {scores.MIRELS_MAX}: borderline (the 1989 paper advised fixation at "
        f"{scores.MIRELS_HIGH_FROM - 1} or more)."
    )
    return [_flag(MIRELS_FRACTURE_RISK, Tier.PROMPT_REVIEW, reason, grade=score.total)]


def _sins(score: scores.Score | None) -> list[Flag]:
    if score is None or score.band == scores.SINS_STABLE:
        return []
    if score.band == scores.SINS_UNSTABLE:
        reason = f"SINS {score.total} of {scores.SINS_MAX}: unstable ({scores.band_range(scores.SINS_UNSTABLE)})."
        return [_flag(SINS_INSTABILITY, Tier.URGENT, reason, grade=score.total)]
    reason = (
        f"SINS {score.total} of {scores.SINS_MAX}: potentially unstable "
        f"({scores.band_range(scores.SINS_POTENTIALLY_UNSTABLE)})."
    )
    return [_flag(SINS_INSTABILITY, Tier.PROMPT_REVIEW, reason, grade=score.total)]


STAFF_ITEM_PREFIX = "ITEM_"


def staff_item_code(key: str) -> str:
    """The flag code of a clinic's own item: ITEM_ and its key, upper case."""
    return f"{STAFF_ITEM_PREFIX}{key.upper()}"


def _staff_item(item: StaffItem) -> Flag:
    reason = f"Answered yes: {item.wording}"
    return Flag(
        staff_item_code(item.key), Tier(item.tier), item.title, reason, item.sources, None, frozenset([item.key])
    )


def _order(flag: Flag) -> tuple[int, int, str]:
    return (-flag.tier.rank, CODE_ORDER.get(flag.code, len(CODE_ORDER)), flag.code)


def raise_flags(
    findings: Findings,
    calcium: CalciumAssessment | None,
    alp: AlpAssessment | None,
    mirels: scores.Score | None,
    sins: scores.Score | None,
) -> list[Flag]:
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
        *(_staff_item(item) for item in findings.staff_items),
    ]
    return sorted(flags, key=_order)
