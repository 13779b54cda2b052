"""Autosave of the visit form (issue 11): the server keeps the form as it stood every 30 seconds while it
changes, for its author only, until the visit is saved (then it is deleted) or AUTOSAVE_KEEP has passed."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from checklists.models import AutosavedVisitForm, Visit

AUTOSAVE_KEEP = datetime.timedelta(days=7)
# Fields that are buttons or one-off, not what was typed.
NOT_KEPT = {"csrfmiddlewaretoken", "stay", "no_to_all", "add_imaging", "action"}


@transaction.atomic
def autosave(*, user, patient, visit=None, data) -> AutosavedVisitForm | None:
    """Keep the form's fields (a QueryDict or {name: [values]}) for this person, patient and visit.

    A form whose visit is already saved is not kept: an autosave that was on its way while Save went through
    would otherwise offer the saved visit again as unsaved work."""
    now = timezone.now()
    AutosavedVisitForm.objects.filter(saved_at__lt=now - AUTOSAVE_KEEP).delete()  # nothing kept longer
    fields = {name: list(data.getlist(name)) if hasattr(data, "getlist") else list(data[name]) for name in data}
    # A NUL cannot be typed, and PostgreSQL's jsonb cannot hold one (found by the fuzz test): it is dropped.
    fields = {
        name.replace("\x00", ""): [value.replace("\x00", "") for value in values]
        for name, values in fields.items()
        if name not in NOT_KEPT
    }
    if visit is None and _already_saved(_last(fields, "submission_id")):
        return None
    if visit is not None and (visit.is_voided or _last(fields, "lock_version") != str(visit.lock_version)):
        return None  # an edit already saved (or a voided visit): nothing of it is unsaved work
    kept = AutosavedVisitForm.objects.filter(user=user, patient=patient, visit=visit).first()
    if kept is not None and _last(kept.data, "submission_id") != _last(fields, "submission_id"):
        kept.delete()  # another form (a new page) replaces the old one: its start is now
    row, _created = AutosavedVisitForm.objects.update_or_create(
        user=user,
        patient=patient,
        visit=visit,
        defaults={"data": fields, "saved_at": now},
        create_defaults={"data": fields, "saved_at": now, "started_at": now},
    )
    if visit is None and _already_saved(_last(fields, "submission_id")):
        row.delete()  # the Save committed while this autosave was on its way
        return None
    return row


def _last(fields: dict, name: str) -> str:
    values = fields.get(name) or [""]
    return values[-1]


def autosaved(*, user, patient, visit=None) -> AutosavedVisitForm | None:
    """This person's autosaved form for the patient's new visit (or for this visit), if it is recent."""
    return AutosavedVisitForm.objects.filter(
        user=user, patient=patient, visit=visit, saved_at__gte=timezone.now() - AUTOSAVE_KEEP
    ).first()


def discard(*, user, patient, visit=None) -> None:
    """The form was saved (or the person chose to drop it): its autosave goes."""
    AutosavedVisitForm.objects.filter(user=user, patient=patient, visit=visit).delete()


def _already_saved(submission_id: str) -> bool:
    try:
        return Visit.objects.filter(submission_id=uuid.UUID(submission_id)).exists()
    except ValueError:
        return False
