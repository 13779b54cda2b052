"""The clinical rules of bonemets (shared/clinical/RULES.md): pure Python, no Django, no clock, no I/O."""

from .engine import RULES_VERSION, Evaluation, evaluate
from .findings import AlbuminResult, AlpResult, CalciumResult, Findings, FindingsError, MirelsEntry, SinsEntry
from .tiers import Tier

__all__ = [
    "RULES_VERSION",
    "AlbuminResult",
    "AlpResult",
    "CalciumResult",
    "Evaluation",
    "Findings",
    "FindingsError",
    "MirelsEntry",
    "SinsEntry",
    "Tier",
    "evaluate",
]
