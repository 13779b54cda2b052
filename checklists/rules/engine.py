"""evaluate(): Findings in, Evaluation out. The one entry point the app and the command share."""

from dataclasses import dataclass

from . import scores
from .findings import Findings
from .flags import Flag, raise_flags
from .labs import AlpAssessment, CalciumAssessment, assess_alp, assess_calcium
from .recommendations import Recommendation, recommend
from .tiers import Tier, highest

# Bump on any change to a flag, tier, threshold, formula or wording the engine produces; visits store it.
RULES_VERSION = "2026.11.2"


@dataclass(frozen=True)
class Evaluation:
    rules_version: str
    visit_tier: Tier
    flags: tuple[Flag, ...]
    calcium: CalciumAssessment | None
    alp: AlpAssessment | None
    mirels: scores.Score | None
    sins: scores.Score | None
    recommendations: tuple[Recommendation, ...]


def evaluate(findings: Findings) -> Evaluation:
    """Grade the labs, score Mirels / SINS, raise the flags and list the recommended actions."""
    calcium = assess_calcium(findings.calcium, findings.albumin)
    alp = assess_alp(findings.alp)
    mirels = scores.mirels(findings.mirels) if findings.mirels else None
    sins = scores.sins(findings.sins) if findings.sins else None
    flags = raise_flags(findings, calcium, alp, mirels, sins)
    return Evaluation(
        rules_version=RULES_VERSION,
        visit_tier=highest(flag.tier for flag in flags),
        flags=tuple(flags),
        calcium=calcium,
        alp=alp,
        mirels=mirels,
        sins=sins,
        recommendations=tuple(recommend(findings, flags)),
    )
