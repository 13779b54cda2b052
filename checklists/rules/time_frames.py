"""How long a flag may wait for a review, and who is told of it (issue 4; issue 15).

What happens after a flag is raised, not what raises it: outside the rules' fingerprint (RULES_VERSION names the
rules that raise flags, tests/rules/test_fingerprint.py), like the judge. Hours, not timedeltas: the rules package
has no clock (tests/rules/test_purity.py).
"""

from .tiers import Tier

# RULES.md §1: emergency "act now" (an hour to act on it), urgent "within 24 hours", prompt review "within days".
# Routine flags wait for the next planned visit: they have no clock.
REVIEW_HOURS = {
    Tier.EMERGENCY: 1,
    Tier.URGENT: 24,
    Tier.PROMPT_REVIEW: 7 * 24,
}
REVIEW_TIME_FRAME_LABELS = {
    Tier.EMERGENCY: "1 hour",
    Tier.URGENT: "24 hours",
    Tier.PROMPT_REVIEW: "7 days",
    Tier.ROUTINE: "next visit",
}
# Flags whose raising is told to the clinic's on-call contacts at once; a clinic may add urgent ones.
NOTIFIED_AT_ONCE = frozenset({Tier.EMERGENCY})
NOTIFIED_IF_CLINIC_CHOOSES = frozenset({Tier.URGENT})
# Flags not reviewed within their time frame are escalated to the clinic's escalation contacts.
ESCALATED = frozenset({Tier.EMERGENCY, Tier.URGENT})
