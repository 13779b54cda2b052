"""How long an open flag may wait before someone reviews it (issue 4: the tiers' time frames)."""

import datetime
from dataclasses import dataclass

from checklists.rules.tiers import Tier
from checklists.rules.time_frames import REVIEW_HOURS, REVIEW_TIME_FRAME_LABELS

# The time frames are clinical numbers: they live in the rules package.
TIME_FRAMES = {tier: datetime.timedelta(hours=hours) for tier, hours in REVIEW_HOURS.items()}
TIME_FRAME_LABELS = REVIEW_TIME_FRAME_LABELS


@dataclass(frozen=True)
class Wait:
    waited: datetime.timedelta
    time_frame: str
    overdue: bool

    @property
    def waited_label(self) -> str:
        return duration_label(self.waited)


def duration_label(waited: datetime.timedelta | None) -> str:
    """A wait as staff say it: "40 min", "1 h 30 min", "3 days"; "—" for none."""
    if waited is None:
        return "—"
    minutes = int(waited.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes // (24 * 60)} days"


def wait_of(tier: Tier, raised_at: datetime.datetime, now: datetime.datetime) -> Wait:
    """How long a flag raised at `raised_at` has waited at `now`, against its tier's time frame."""
    waited = max(now - raised_at, datetime.timedelta(0))
    frame = TIME_FRAMES.get(tier)
    return Wait(waited, TIME_FRAME_LABELS[tier], frame is not None and waited > frame)


def place_actions(flag_tiers: list[Tier], actions: list, *, next_tier: Tier | None, first_page: bool) -> dict:
    """Where each overdue action goes among a page of the worklist (issue 15 §4): after the flags of its tier (or,
    with none of its tier, after the flags of the tiers above it), so an MRI overdue for an emergency comes with
    the emergencies, before the urgent flags. `flag_tiers` are the page's flags' tiers, highest first; `actions`
    have a `.tier`; `next_tier` is the first flag's of the next page (None on the last page).

    Returns {the index of the flag row an action follows (-1: before them all): [actions]}; an action whose place
    is on an earlier or a later page is left out."""
    placed: dict[int, list] = {}
    for action in actions:
        if next_tier is not None and next_tier.rank >= action.tier.rank:
            continue  # flags of its tier or above go on: its place is on a later page
        above = [index for index, tier in enumerate(flag_tiers) if tier.rank >= action.tier.rank]
        if not above and not first_page:
            continue  # the flags above it ended on an earlier page, where it was placed
        placed.setdefault(above[-1] if above else -1, []).append(action)
    return placed
