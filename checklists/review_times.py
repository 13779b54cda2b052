"""How fast flags are reviewed, per tier and month, against the tiers' time frames (issue 12 §5).

For the clinical lead who must show that reviews happen in time. A flag counts in the month it was raised.
Flags of voided visits are left out. Every review that happened counts, even of a flag an edit withdrew later.
The "in time" share is of the flags that could be judged: those reviewed, and those still open past their time
frame (a month with one review in time and nine emergencies waiting is not 100%). Flags withdrawn or carried
over without a review, and open flags still within their time frame, are counted apart.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.utils import timezone

from checklists.models import Flag
from checklists.models.choices import FlagStatus
from checklists.rules.tiers import Tier
from checklists.worklist import TIME_FRAME_LABELS, TIME_FRAMES, duration_label

TIERS = (Tier.EMERGENCY, Tier.URGENT, Tier.PROMPT_REVIEW, Tier.ROUTINE)
MONTHS = 12


@dataclass(frozen=True)
class MonthOfTier:
    month: datetime.date  # the first day of the month
    tier: Tier
    raised: int
    reviewed: int
    in_time: int | None  # reviewed within the time frame; None: the tier has no clock (routine: the next visit)
    median: datetime.timedelta | None
    p90: datetime.timedelta | None
    still_open: int
    overdue: int
    closed_otherwise: int  # withdrawn after an edit, or carried over from an earlier review, without a review

    @property
    def time_frame(self) -> str:
        return TIME_FRAME_LABELS[self.tier]

    @property
    def median_label(self) -> str:
        return duration_label(self.median)

    @property
    def p90_label(self) -> str:
        return duration_label(self.p90)

    @property
    def judged(self) -> int:
        """The flags whose timeliness is known: reviewed, or still open past the time frame."""
        return self.reviewed + self.overdue

    @property
    def in_time_share(self) -> int | None:
        """Of the flags reviewed or overdue, the percentage reviewed within the tier's time frame."""
        if self.in_time is None or not self.judged:
            return None
        return round(100 * self.in_time / self.judged)


def first_months(now: datetime.datetime, count: int = MONTHS) -> list[datetime.date]:
    """The first days of the last `count` months, oldest first, this month included."""
    month = timezone.localtime(now).date().replace(day=1)
    months = [month]
    for _ in range(count - 1):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months[::-1]


def report(clinics, now: datetime.datetime | None = None) -> list[MonthOfTier]:
    """Each month × tier of the last twelve months for these clinics (one query)."""
    now = now or timezone.now()
    months = first_months(now)
    start = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time()))
    rows = Flag.objects.filter(
        visit__clinic__in=clinics, visit__voided_at__isnull=True, raised_at__gte=start, tier__in=TIERS
    ).values_list("tier", "status", "raised_at", "reviewed_at")
    grouped: dict[tuple, list] = {(month, tier): [] for month in months for tier in TIERS}
    for tier, status, raised_at, reviewed_at in rows:
        month = timezone.localtime(raised_at).date().replace(day=1)
        if (month, Tier(tier)) in grouped:  # a clock a little ahead of ours could date a flag next month
            grouped[month, Tier(tier)].append((status, raised_at, reviewed_at))
    return [_month_of_tier(month, tier, grouped[month, tier], now) for month in months for tier in TIERS]


def _month_of_tier(month, tier: Tier, flags: list, now) -> MonthOfTier:
    frame = TIME_FRAMES.get(tier)
    # Every review that happened: a flag reviewed and later withdrawn by an edit keeps its review time.
    waits = sorted(
        max(reviewed_at - raised_at, datetime.timedelta(0)) for _status, raised_at, reviewed_at in flags if reviewed_at
    )
    still_open = [raised_at for status, raised_at, _reviewed in flags if status == FlagStatus.OPEN]
    return MonthOfTier(
        month=month,
        tier=tier,
        raised=len(flags),
        reviewed=len(waits),
        in_time=None if frame is None else sum(1 for wait in waits if wait <= frame),
        median=_percentile(waits, 50),
        p90=_percentile(waits, 90),
        still_open=len(still_open),
        overdue=0 if frame is None else sum(1 for raised_at in still_open if now - raised_at > frame),
        closed_otherwise=sum(
            1
            for status, _raised, reviewed_at in flags
            if status in (FlagStatus.WITHDRAWN, FlagStatus.CARRIED_OVER) and not reviewed_at
        ),
    )


def _percentile(waits: list[datetime.timedelta], percent: int) -> datetime.timedelta | None:
    """The median (the middle wait, or the mean of the two middle ones), or the nearest-rank 90th percentile (a
    wait that actually happened); None without reviews."""
    if not waits:
        return None
    if percent == 50:
        return statistics.median(waits)
    rank = max(1, -(-percent * len(waits) // 100))  # ceil(percent × n / 100)
    return waits[rank - 1]
