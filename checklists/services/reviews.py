"""Record what a clinician did about a flag."""

from django.db import transaction
from django.utils import timezone

from checklists.history import recorded_as
from checklists.models import Flag
from checklists.models.choices import FlagStatus

from .visits import VISIT_VOIDED, VisitVoided


class FlagNotOpen(Exception):
    """The flag was reviewed (or stopped firing) since the page was opened: a double submit records one review."""

    def __init__(self, flag):
        super().__init__(f"{flag.title} was already {flag.get_status_display().lower()}.")
        self.flag = flag


@transaction.atomic
def review_flag(*, flag: Flag, by, action: str, note: str, stable_until=None) -> Flag:
    """Record what was done about an open flag; it then leaves the worklist. Who and when are kept."""
    current = Flag.objects.select_for_update().select_related("visit").get(pk=flag.pk)
    if current.status != FlagStatus.OPEN:
        raise FlagNotOpen(current)
    if current.visit.is_voided:
        raise VisitVoided(VISIT_VOIDED)
    current.status = FlagStatus.REVIEWED
    current.reviewed_by = by
    current.reviewed_at = timezone.now()
    current.review_action = action
    current.review_note = note
    current.stable_until = stable_until
    with recorded_as(by):
        current.save()
    return current
