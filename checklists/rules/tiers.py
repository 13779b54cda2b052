"""Urgency tiers of a flag and of a visit (RULES.md §1)."""

from collections.abc import Iterable
from enum import StrEnum


class Tier(StrEnum):
    NONE = "none"
    ROUTINE = "routine"
    PROMPT_REVIEW = "prompt_review"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> str:
        return _LABEL[self]

    @property
    def meaning(self) -> str:
        return _MEANING[self]

    @property
    def icon(self) -> str:
        """The symbol shown beside the word, so a tier never rests on colour alone."""
        return _ICON[self]


_RANK = {tier: rank for rank, tier in enumerate(Tier)}

_LABEL = {
    Tier.NONE: "No flags",
    Tier.ROUTINE: "Routine",
    Tier.PROMPT_REVIEW: "Prompt review",
    Tier.URGENT: "Urgent",
    Tier.EMERGENCY: "Emergency",
}

_ICON = {
    Tier.NONE: "\u2713",
    Tier.ROUTINE: "\u2139",
    Tier.PROMPT_REVIEW: "\u25cf",
    Tier.URGENT: "\u25b2",
    Tier.EMERGENCY: "\u203c",
}

_MEANING = {
    Tier.NONE: "Nothing in this visit needs review beyond usual care.",
    Tier.ROUTINE: "Informational; act at the next planned visit.",
    Tier.PROMPT_REVIEW: "Within days; do not wait for the next planned visit.",
    Tier.URGENT: "Same day, within 24 hours.",
    Tier.EMERGENCY: "Act now: contact the oncology / MSCC team immediately.",
}


# Tiers that a clinician must act on within a day. A review of one needs a note; it is never "known and stable"
# (every occurrence is reviewed afresh); an edit that would withdraw one needs a reason; a visit with one open
# cannot be voided.
SERIOUS = frozenset({Tier.URGENT, Tier.EMERGENCY})
# Tiers whose "known and stable until" review may carry over to the same finding at a later visit.
CARRY_OVER = frozenset({Tier.PROMPT_REVIEW, Tier.ROUTINE})


def highest(tiers: Iterable[Tier]) -> Tier:
    """Return the highest of the given tiers, NONE when there are none."""
    return max(tiers, key=lambda tier: tier.rank, default=Tier.NONE)


def counted(tiers: Iterable[Tier]) -> str:
    """One line for a list of flags, most urgent first: "‼ 1 emergency, ▲ 2 urgent" (or "✓ No flags")."""
    counts: dict[Tier, int] = {}
    for tier in tiers:
        counts[tier] = counts.get(tier, 0) + 1
    if not counts:
        return f"{Tier.NONE.icon} {Tier.NONE.label}"
    ordered = sorted(counts, key=lambda tier: tier.rank, reverse=True)
    return ", ".join(f"{tier.icon} {counts[tier]} {tier.label.lower()}" for tier in ordered)
