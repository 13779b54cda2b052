"""The tiers' review time frames (RULES.md §1) and which tiers are told to on-call and escalated (issue 15)."""

from checklists.rules.tiers import Tier
from checklists.rules.time_frames import (
    ESCALATED,
    NOTIFIED_AT_ONCE,
    NOTIFIED_IF_CLINIC_CHOOSES,
    REVIEW_HOURS,
    REVIEW_TIME_FRAME_LABELS,
)


def test_each_tier_waits_as_long_as_its_meaning_says():
    assert {Tier.EMERGENCY: 1, Tier.URGENT: 24, Tier.PROMPT_REVIEW: 168} == REVIEW_HOURS
    assert {
        Tier.EMERGENCY: "1 hour",
        Tier.URGENT: "24 hours",
        Tier.PROMPT_REVIEW: "7 days",
        Tier.ROUTINE: "next visit",
    } == REVIEW_TIME_FRAME_LABELS


def test_emergencies_are_always_told_urgent_flags_when_the_clinic_chooses_and_both_escalate():
    assert {Tier.EMERGENCY} == NOTIFIED_AT_ONCE
    assert {Tier.URGENT} == NOTIFIED_IF_CLINIC_CHOOSES
    assert {Tier.EMERGENCY, Tier.URGENT} == ESCALATED
    assert all(tier in REVIEW_HOURS for tier in ESCALATED)
