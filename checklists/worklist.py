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
