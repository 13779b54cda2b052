"""Care gaps followed to completion (issue 15 §4): a recommended action is done only when someone says how it was
done, or when an imaging order it is waiting for is done; orders move ordered → booked → done, or cancelled with
a reason. The rules hold whoever calls (a view, the admin, a command)."""

import datetime

from django.db import transaction
from django.utils import timezone

from checklists.history import recorded_as
from checklists.models import ImagingOrder, Recommendation
from checklists.models.choices import ImagingStatus
from checklists.rules.follow_through import completed_by

from .roles import NOT_A_MEMBER, NotPermitted, role_in
from .visits import VISIT_VOIDED, VisitVoided

HOW_NEEDED = "Say how it was done: “MRI whole spine booked for 23 Nov”, “FBC taken”."
ALREADY_DONE = "This action was already marked done by {who} on {when}: “{how}”."
MOVE_REFUSED = "An order that is {status} cannot be marked {new}."
DATE_NEEDED = "Give the date it is booked for."
DATE_IMPLAUSIBLE = "The booking must be within a year of today."
REASON_NEEDED = "Say why the order is cancelled."
# Where an order may go from each status; done and cancelled are final (a new order is a new row).
MOVES = {
    ImagingStatus.ORDERED: {ImagingStatus.BOOKED, ImagingStatus.DONE, ImagingStatus.CANCELLED},
    ImagingStatus.BOOKED: {ImagingStatus.BOOKED, ImagingStatus.DONE, ImagingStatus.CANCELLED},
}
MAX_BOOKING_DAYS = 366


class ActionRefused(Exception):
    """The change breaks a rule; `problems` maps each field to why."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def _check_member(by, visit) -> None:
    if role_in(by, visit.clinic) is None:
        raise NotPermitted(NOT_A_MEMBER)
    if visit.is_voided:
        raise VisitVoided(VISIT_VOIDED)


@transaction.atomic
def mark_action_done(*, recommendation: Recommendation, by, how: str) -> Recommendation:
    """Record who did the action, when, and how; it then leaves the open actions."""
    current = Recommendation.objects.select_for_update(of=("self",)).select_related("visit__clinic", "done_by")
    current = current.get(pk=recommendation.pk)
    _check_member(by, current.visit)
    if current.done_at is not None:
        when = timezone.localtime(current.done_at).strftime("%d %b %Y %H:%M")
        raise ActionRefused({"how": ALREADY_DONE.format(who=current.done_by, when=when, how=current.done_how)})
    if not how.strip():
        raise ActionRefused({"how": HOW_NEEDED})
    _done(current, by=by, how=how.strip(), order=None, now=timezone.now())
    return current


def _done(recommendation: Recommendation, *, by, how: str, order, now) -> None:
    recommendation.done_at, recommendation.done_by, recommendation.done_how = now, by, how[:200]
    recommendation.done_by_order = order
    with recorded_as(by):
        recommendation.save()


@transaction.atomic
def move_order(
    *, order: ImagingOrder, by, status: str, booked_for: datetime.date | None = None, reason: str = ""
) -> ImagingOrder:
    """Book, complete or cancel an imaging order. A done order completes the visit's open actions it was for."""
    current = ImagingOrder.objects.select_for_update(of=("self",)).select_related("visit__clinic").get(pk=order.pk)
    _check_member(by, current.visit)
    problems = {}
    if status not in MOVES.get(current.status, set()):
        new = ImagingStatus(status).label.lower() if status in ImagingStatus.values else status
        problems["status"] = MOVE_REFUSED.format(status=current.get_status_display().lower(), new=new)
    today = timezone.localdate()
    if status == ImagingStatus.BOOKED:
        if booked_for is None:
            problems["booked_for"] = DATE_NEEDED
        elif abs((booked_for - today).days) > MAX_BOOKING_DAYS:
            problems["booked_for"] = DATE_IMPLAUSIBLE
    if status == ImagingStatus.CANCELLED and not reason.strip():
        problems["reason"] = REASON_NEEDED
    if problems:
        raise ActionRefused(problems)
    now = timezone.now()
    current.status, current.status_by, current.status_at = status, by, now
    current.booked_for = booked_for if status == ImagingStatus.BOOKED else current.booked_for
    current.cancel_reason = reason.strip() if status == ImagingStatus.CANCELLED else ""
    with recorded_as(by):
        current.save()
    if status == ImagingStatus.DONE:
        waiting = current.visit.recommendations.select_for_update().filter(done_at__isnull=True).order_by("pk")
        for recommendation in waiting:
            if completed_by(recommendation.code, current.modality):
                _done(recommendation, by=by, how=f"{current} done", order=current, now=now)
    return current
