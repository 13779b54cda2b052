"""Record what a clinician did about a flag. The rules of a review are enforced here, whoever calls (issue 10)."""

import datetime

from django.db import transaction
from django.utils import timezone

from checklists.history import recorded_as
from checklists.models import Flag
from checklists.models.choices import FlagStatus, ReviewAction
from checklists.rules.tiers import SERIOUS, Tier

from .roles import check_review
from .visits import VISIT_VOIDED, VisitVoided

NOTE_REQUIRED = "Say what was done: a note is required for emergency and urgent flags."
STABLE_NOT_FOR_SERIOUS = (
    "“Known and stable until” is only for prompt-review and routine flags: urgent and emergency flags are "
    "reviewed afresh every time."
)
STABLE_NOT_IN_FUTURE = "“Known and stable until” must be a date after today."
STABLE_TOO_FAR = "“Known and stable until” can be at most one year ahead; review the finding again by then."
ACTION_UNKNOWN = "Choose what was done."
MAX_STABLE_DAYS = 366
# What a person may record; "known and stable (carried over)" is the app's own word for a carried-over flag.
REVIEW_ACTIONS = frozenset(ReviewAction.values) - {ReviewAction.KNOWN_STABLE}


class FlagNotOpen(Exception):
    """The flag was reviewed (or withdrawn) since the page was opened: a double submit records one review."""

    def __init__(self, flag):
        super().__init__(f"{flag.title} was already {flag.get_status_display().lower()}.")
        self.flag = flag


class ReviewRefused(Exception):
    """The review breaks a rule; `problems` maps each field to why."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def review_problems(*, tier: Tier, action: str, note: str, stable_until, today: datetime.date) -> dict[str, str]:
    """Every rule a review of a flag of this tier breaks, by field; empty when it is fine."""
    problems = {}
    if action not in REVIEW_ACTIONS:
        problems["action"] = ACTION_UNKNOWN
    if tier in SERIOUS and not note.strip():
        problems["note"] = NOTE_REQUIRED
    if stable_until is not None:
        if tier in SERIOUS:
            problems["stable_until"] = STABLE_NOT_FOR_SERIOUS
        elif stable_until <= today:
            problems["stable_until"] = STABLE_NOT_IN_FUTURE
        elif stable_until > today + datetime.timedelta(days=MAX_STABLE_DAYS):
            problems["stable_until"] = STABLE_TOO_FAR
    return problems


@transaction.atomic
def review_flag(*, flag: Flag, by, action: str, note: str, stable_until=None) -> Flag:
    """Record what was done about an open (or carried-over) flag; it then leaves the worklist. Who and when are
    kept."""
    current = Flag.objects.select_for_update().select_related("visit__clinic").get(pk=flag.pk)
    check_review(by, current)  # a nurse never signs off an urgent or emergency flag, whoever calls
    if current.status not in (FlagStatus.OPEN, FlagStatus.CARRIED_OVER):
        raise FlagNotOpen(current)
    if current.visit.is_voided:
        raise VisitVoided(VISIT_VOIDED)
    problems = review_problems(
        tier=Tier(current.tier), action=action, note=note, stable_until=stable_until, today=timezone.localdate()
    )
    if problems:
        raise ReviewRefused(problems)
    _record(current, by=by, action=action, note=note, stable_until=stable_until, now=timezone.now())
    return current


def _record(flag: Flag, *, by, action: str, note: str, stable_until, now) -> None:
    flag.status = FlagStatus.REVIEWED
    flag.carried_over_from = None
    flag.reviewed_by = by
    flag.reviewed_at = now
    flag.review_action = action
    flag.review_note = note.strip()
    flag.stable_until = stable_until
    with recorded_as(by):
        flag.save()


NONE_TICKED = "Tick the flags this review covers."
NOT_THIS_VISITS = "Only this visit's flags can be reviewed here."


def _named(flag) -> str:
    return f"{flag.title} (by {flag.reviewed_by})" if flag.reviewed_by else flag.title


class FlagsNotOpen(Exception):
    """Some ticked flags were reviewed (or withdrawn) since the page was opened: nothing was recorded."""

    def __init__(self, flags):
        titles = "; ".join(
            f"{flag.title} (by {flag.reviewed_by})" if flag.reviewed_by else flag.title for flag in flags
        )
        super().__init__(f"Reviewed or withdrawn meanwhile: {titles}. Nothing was recorded; check the list again.")
        self.flags = flags


@transaction.atomic
def review_visit(*, visit, flag_ids, by, action: str, note: str) -> list[Flag]:
    """Record one action and note for the ticked open flags of a visit, all or none (issue 15 §3): each flag keeps
    its own review, with the same rules as one by one (a note for urgent and emergency flags, who may sign them
    off). "Known and stable" is given flag by flag."""
    wanted = set(flag_ids)
    if not wanted:
        raise ReviewRefused({"flags": NONE_TICKED})
    # Only the flags are locked: a reviewer joined in (a nullable side) cannot be, on PostgreSQL.
    flags = list(
        Flag.objects.select_for_update(of=("self",))
        .select_related("visit__clinic", "reviewed_by")
        .filter(pk__in=wanted)
    )
    if len(flags) != len(wanted) or any(flag.visit_id != visit.pk for flag in flags):
        raise ReviewRefused({"flags": NOT_THIS_VISITS})
    for flag in flags:
        check_review(by, flag)  # a nurse never signs off an urgent or emergency flag, whoever calls
    gone = [flag for flag in flags if flag.status != FlagStatus.OPEN]
    if gone:
        raise FlagsNotOpen(gone)
    if flags[0].visit.is_voided:
        raise VisitVoided(VISIT_VOIDED)
    problems = {}
    for flag in flags:
        problems |= review_problems(
            tier=Tier(flag.tier), action=action, note=note, stable_until=None, today=timezone.localdate()
        )
    if problems:
        raise ReviewRefused(problems)
    now = timezone.now()
    for flag in sorted(flags, key=lambda flag: flag.pk):
        _record(flag, by=by, action=action, note=note, stable_until=None, now=now)
    return flags
