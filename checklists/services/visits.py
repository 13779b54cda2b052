"""Record, edit and void visits: save the rows, evaluate them and store flags and recommendations, in one transaction.

Only what changed is written, so the history holds one row per real change: a new visit writes one row per record
it creates, an edit of one result writes that result and the visit once, and a save with no change writes nothing
(issue 9). Every history row names the person the service acted for.
"""

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from checklists import evaluation as visit_evaluation
from checklists import rules
from checklists.entries import VisitEntry
from checklists.history import recorded_as
from checklists.models import (
    Clinic,
    FractureRiskScore,
    ImagingOrder,
    LabResult,
    Patient,
    Recommendation,
    ScreenAnswer,
    Visit,
)
from checklists.models.choices import Answer, FlagStatus, ImagingStatus, ScoreKind, VisitStatus
from checklists.rules import units
from checklists.rules.flags import SAFETY_FLOOR
from checklists.rules.scores import mirels as mirels_score
from checklists.rules.scores import sins as sins_score
from checklists.rules.tiers import SERIOUS

from . import new_visits
from .flags import release_carried_over, reviewed_flags, store_flags
from .new_visits import apply_evaluation

VISIT_CHANGED = (
    "Someone else saved this visit while you were editing it. Your answers are still on the form: "
    "check them against the saved visit and save again."
)
REASON_NEEDED = (
    "A clinician has reviewed flags of this visit: say why it is being changed "
    "(for example “calcium re-entered from the lab report”)."
)
VISIT_VOIDED = "This visit was voided; it cannot be changed."
VISIT_IN_FUTURE = "The visit date cannot be in the future."
VISIT_BEFORE_BIRTH = "The visit date is before the patient's date of birth ({born:%-d %b %Y})."
BLOODS_AFTER_VISIT = "Bloods cannot have been taken after the visit."
BLOODS_TOO_EARLY = "Bloods taken more than {days} days before the visit belong to an earlier visit."
FOLLOW_UP_BEFORE_VISIT = "The next follow-up cannot be before the visit."
FOLLOW_UP_TOO_FAR = "The next follow-up must be within two years of the visit."
FOLLOW_UP_MAX = datetime.timedelta(days=731)
INCOMPLETE_SCREEN = "To complete the visit, answer: {items} Or save it as a draft."


def questions_in_words(items) -> str:
    """The wordings one after the other, each ending as a sentence does ("Sudden severe pain? New confusion?")."""
    return " ".join(item.wording if item.wording.rstrip()[-1:] in "?.!" else f"{item.wording}." for item in items)


VOID_REASON_NEEDED = "Say why the visit is voided (for example “entered for the wrong patient”)."
VOID_OPEN_FLAGS = (
    "This visit has open urgent or emergency flags. Review them first (a note such as “duplicate of the visit "
    "of 3 Nov” is enough), then void it, so that no emergency leaves the worklist unseen."
)


class AlreadyRecorded(Exception):
    """The form was submitted before (Back then Save, a double click, a retry): `record` is what it made."""

    def __init__(self, record):
        super().__init__(f"Already recorded as {record.pk}.")
        self.record = record


def recorded_with(model, submission_id):
    """The row a form with this submission id already made, if any (a mangled id made none)."""
    try:
        key = uuid.UUID(str(submission_id))
    except ValueError:
        return None
    return model.objects.filter(submission_id=key).first()


def create_once(model, submission_id, create):
    """Run `create()` (which saves a new `model` row with this submission id) unless that id made a row already;
    then raise AlreadyRecorded with it. Two simultaneous submits: the database's unique constraint lets one
    through and the other finds its row."""
    if submission_id is not None:
        existing = recorded_with(model, submission_id)
        if existing is not None:
            raise AlreadyRecorded(existing)
    try:
        with transaction.atomic():
            return create()
    except (IntegrityError, ValidationError):
        # The other submit committed first: at the unique index, or already at full_clean's uniqueness check.
        existing = model.objects.filter(submission_id=submission_id).first() if submission_id else None
        if existing is None:
            raise
        raise AlreadyRecorded(existing) from None


class VisitChanged(Exception):
    """The visit was saved by someone else since the form was opened (optimistic locking)."""


class ReasonNeeded(Exception):
    """An edit of a visit whose flags were reviewed needs a reason, kept with its history rows."""


class IncompleteScreen(Exception):
    """A visit saved as complete must answer every safety-floor item of its checklist version."""

    def __init__(self, items):
        super().__init__(INCOMPLETE_SCREEN.format(items=questions_in_words(items)))
        self.items = items


class ImplausibleRange(Exception):
    """A result's reference range is no range; `problems` maps each analyte to what to do."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class ImplausibleDates(Exception):
    """A date of the visit cannot be right; `problems` maps each form field to why."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class VisitVoided(Exception):
    """A voided visit is kept as it was: it cannot be edited, re-evaluated or voided again."""


class VoidRefused(Exception):
    """The visit cannot be voided as asked (no reason, or open urgent or emergency flags)."""


def unanswered_floor_items(items, answers: dict[str, str]) -> list:
    """The safety-floor items of a screen not answered yes or no (the items emergencies are read from)."""
    return [
        item
        for item in items
        if item.key in SAFETY_FLOOR and not item.retired and answers.get(item.key) not in (Answer.YES, Answer.NO)
    ]


def _check_ranges(patient: Patient, entry: VisitEntry, recorded=(), ranges=None) -> None:
    labs = visit_evaluation.with_reference_ranges(patient, entry.labs, recorded, ranges)
    problems = visit_evaluation.range_problems(labs)
    if problems:
        raise ImplausibleRange(problems)


def date_problems(
    visit_date: datetime.date,
    *,
    today: datetime.date,
    born: datetime.date | None = None,
    bloods_taken: Iterable[datetime.date] = (),
    follow_up: datetime.date | None = None,
) -> dict[str, str]:
    """Every date of a visit that cannot be right, by form field; empty when all make sense. `born` is the
    patient's date of birth, `bloods_taken` the days its results were collected."""
    problems = {}
    if visit_date > today:
        problems["visit_date"] = VISIT_IN_FUTURE
    elif born is not None and visit_date < born:
        problems["visit_date"] = VISIT_BEFORE_BIRTH.format(born=born)
    taken = set(bloods_taken)
    # Differences of dates, never a date plus days: that overflows at year 1 and 9999 (found by the fuzz test).
    if any(day > visit_date for day in taken):
        problems["labs_collected_on"] = BLOODS_AFTER_VISIT
    elif any((visit_date - day).days > settings.LABS_MAX_DAYS_BEFORE_VISIT for day in taken):
        problems["labs_collected_on"] = BLOODS_TOO_EARLY.format(days=settings.LABS_MAX_DAYS_BEFORE_VISIT)
    if follow_up is not None and follow_up < visit_date:
        problems["next_follow_up_due"] = FOLLOW_UP_BEFORE_VISIT
    elif follow_up is not None and follow_up - visit_date > FOLLOW_UP_MAX:
        problems["next_follow_up_due"] = FOLLOW_UP_TOO_FAR
    return problems


def _check_dates(patient: Patient, entry: VisitEntry) -> None:
    problems = date_problems(
        entry.visit_date,
        today=timezone.localdate(),
        born=patient.date_of_birth,
        bloods_taken=[lab.collected_on for lab in entry.labs if lab.collected_on is not None],
        follow_up=entry.next_follow_up_due,
    )
    if problems:
        raise ImplausibleDates(problems)


def _check_complete(items, entry: VisitEntry) -> None:
    if entry.complete:
        missing = unanswered_floor_items(items, entry.answers)
        if missing:
            raise IncompleteScreen(missing)


def _check_new(patient: Patient, entry: VisitEntry, screening: new_visits.Screening) -> None:
    """Every rule a new visit must meet before anything of it is written."""
    _check_dates(patient, entry)
    _check_ranges(patient, entry, ranges=screening.ranges)
    _check_complete(screening.items, entry)


def record_visit(*, patient: Patient, seen_by, entry: VisitEntry, submission_id=None) -> Visit:
    """Save a new visit with its answers, labs, imaging and scores, evaluated, with its flags.

    A submission id already used raises AlreadyRecorded with the visit it made: nothing is saved twice.
    """
    screening = new_visits.screening_of(patient.clinic)
    _check_new(patient, entry, screening)
    now = timezone.now()

    def reviewed(codes):
        return reviewed_flags([patient.pk], codes).get(patient.pk, [])

    rows = new_visits.build(patient, seen_by, entry, screening, reviewed=reviewed, now=now, submission_id=submission_id)

    def create():
        new_visits.insert([rows], by=seen_by, now=now)
        update_follow_up(patient)
        return rows.visit

    return create_once(Visit, submission_id, create)


@transaction.atomic
def record_visits(visits, *, seen_by, at=None) -> list[Visit]:
    """Record many new visits at once, each as `record_visit` would (the same checks, rows and history rows), in
    a few queries per kind of row: loading a clinic's past visits, or the benchmark's (issue 13).

    `visits` are (patient, entry) pairs; a patient's visits in date order. Nothing is written when one is refused.
    `at` is when they are recorded (now; the benchmark replays past days, so its flags were raised on them).
    """
    screenings, citations = {}, None
    clinics = Clinic.objects.in_bulk({patient.clinic_id for patient, _entry in visits})
    for patient, entry in visits:
        if not Patient.clinic.is_cached(patient):  # one read of the clinics, not one per patient
            patient.clinic = clinics[patient.clinic_id]
        if patient.clinic_id not in screenings:
            screenings[patient.clinic_id] = new_visits.screening_of(patient.clinic, citations)
            citations = screenings[patient.clinic_id].citations
        _check_new(patient, entry, screenings[patient.clinic_id])
    patient_ids = sorted({patient.pk for patient, _entry in visits})
    reviewed = reviewed_flags(patient_ids)
    now = at or timezone.now()
    batch = [
        new_visits.build(
            patient,
            seen_by,
            entry,
            screenings[patient.clinic_id],
            reviewed=lambda _codes, patient_id=patient.pk: reviewed.get(patient_id, []),
            now=now,
        )
        for patient, entry in visits
    ]
    new_visits.insert(batch, by=seen_by, now=now)
    new_visits.update_follow_ups(patient_ids)
    return [rows.visit for rows in batch]


@transaction.atomic
def update_visit(
    *, visit: Visit, entry: VisitEntry, lock_version: int, by, reason: str = "", withdraw=frozenset()
) -> Visit:
    """Save an edited visit and evaluate it again; a flag that still fires keeps its identity and review.

    Nothing is written when nothing changed. A change to a visit with reviewed flags needs a reason; one that
    withdraws or lowers open urgent or emergency flags needs each of them in `withdraw` (services/flags.py).
    """
    current = Visit.objects.select_for_update().get(pk=visit.pk)
    if current.lock_version != lock_version:
        raise VisitChanged(VISIT_CHANGED)
    if current.is_voided:
        raise VisitVoided(VISIT_VOIDED)
    _check_dates(current.patient, entry)
    recorded = list(current.lab_results.all())  # before the edit: their ranges stay unless retyped
    _check_ranges(current.patient, entry, recorded)
    _check_complete(current.checklist_version.items.all(), entry)
    with recorded_as(by, reason.strip()):
        changed = _apply(current, entry)
        changed = _store_rows(current, entry, by=by) or changed
        if not changed:
            return current
        # A flag reviewed once (still reviewed, or withdrawn since): the clinician's judgement is on record.
        if not reason.strip() and current.flags.filter(reviewed_at__isnull=False).exists():
            raise ReasonNeeded(REASON_NEEDED)  # the transaction rolls back what was written
        evaluation = evaluate(current, entry, recorded)
        store_outcome(current, evaluation, by=by, reason=reason, withdraw=withdraw)
        apply_evaluation(current, evaluation)
        current.lock_version += 1
        current.save()
        update_follow_up(current.patient)
    return current


@transaction.atomic
def void_visit(*, visit: Visit, by, reason: str) -> Visit:
    """Void a visit entered in error: it leaves the worklist and lists, and keeps its whole record."""
    current = Visit.objects.select_for_update().get(pk=visit.pk)
    if current.is_voided:
        raise VisitVoided(VISIT_VOIDED)
    if not reason.strip():
        raise VoidRefused(VOID_REASON_NEEDED)
    if current.flags.filter(status=FlagStatus.OPEN, tier__in=[tier.value for tier in SERIOUS]).exists():
        raise VoidRefused(VOID_OPEN_FLAGS)
    with recorded_as(by, reason.strip()):
        current.voided_at, current.voided_by, current.void_reason = timezone.now(), by, reason.strip()
        current.lock_version += 1
        current.save()
        # Its reviews are void too: a later flag carried over from one of them opens for review.
        release_carried_over(current.flags.filter(status=FlagStatus.REVIEWED), current.voided_at)
        update_follow_up(current.patient)
    return current


def update_follow_up(patient: Patient) -> None:
    """The patient's next follow-up is the one set by their latest (not voided) visit."""
    latest = patient.visits.filter(voided_at__isnull=True).order_by("-visit_date", "-created_at").first()
    due = latest.next_follow_up_due if latest else None
    if patient.next_follow_up_due != due:
        patient.next_follow_up_due = due
        patient.save(update_fields=["next_follow_up_due", "updated_at"])


def evaluate(visit: Visit, entry: VisitEntry, recorded=()) -> rules.Evaluation:
    """What the rules make of the entry, screened with the visit's checklist version; `recorded` are the visit's
    results as stored before an edit (their reference ranges are kept)."""
    items = list(visit.checklist_version.items.select_related("flag_source"))
    return visit_evaluation.evaluate_entry(visit.patient, entry, items, recorded)


def _apply(visit: Visit, entry: VisitEntry) -> bool:
    """Set the visit's own fields from the entry; return whether any changed."""
    values = {
        "visit_date": entry.visit_date,
        "pain_score": entry.pain_score,
        "notes": entry.notes,
        "next_follow_up_due": entry.next_follow_up_due,
        "status": VisitStatus.COMPLETE if entry.complete else VisitStatus.DRAFT,
    }
    return _set(visit, values)


def _set(instance, values: dict) -> bool:
    """Set the values on the instance; return whether any differed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _store_rows(visit: Visit, entry: VisitEntry, *, by) -> bool:
    """Write the answers, labs, imaging and scores that changed; return whether any did."""
    changed = _store_answers(visit, entry.answers)
    changed = _store_labs(visit, entry, by=by) or changed
    changed = _store_imaging(visit, entry) or changed
    changed = _store_score(visit, ScoreKind.MIRELS, entry.mirels, rules.MirelsEntry, mirels_score) or changed
    return _store_score(visit, ScoreKind.SINS, entry.sins, rules.SinsEntry, sins_score) or changed


def _store_answers(visit: Visit, answers: dict[str, str]) -> bool:
    stored = {answer.item.key: answer for answer in visit.answers.select_related("item")} if visit.pk else {}
    changed = False
    for item in visit.checklist_version.items.filter(retired=False):
        value = answers.get(item.key, Answer.NOT_ASKED)
        answer = stored.get(item.key)
        if answer is None:
            ScreenAnswer.objects.create(visit=visit, item=item, answer=value)
            changed = True
        elif answer.answer != value:
            answer.answer = value
            answer.save()
            changed = True
    return changed


def _store_labs(visit: Visit, entry: VisitEntry, *, by) -> bool:
    stored = {lab.analyte: lab for lab in visit.lab_results.all()} if visit.pk else {}
    resolved = visit_evaluation.with_reference_ranges(visit.patient, entry.labs, stored.values())
    wanted = {lab.analyte for lab in entry.labs}
    changed = False
    for analyte, lab in stored.items():
        if analyte not in wanted:
            lab.delete()
            changed = True
    for lab in resolved:
        result = stored.get(lab.analyte)
        # Who confirmed the unit of a soft-stop value (only one that needs it): kept while the value stands, the
        # editor's when it changes.
        same_value = result is not None and (result.value, result.unit) == (lab.value, lab.unit)
        keeps_confirmation = same_value and result.unit_confirmed_by_id is not None
        confirmed_by = result.unit_confirmed_by if keeps_confirmation else by
        needed = units.unit_confirmation_needed(lab.analyte, lab.value, lab.unit)
        values = new_visits.lab_values(lab, visit, confirmed_by, lab.unit_confirmed and needed)
        if result is None:
            LabResult.objects.create(visit=visit, analyte=lab.analyte, **values)
            changed = True
        elif _set(result, values):
            result.save()
            changed = True
    return changed


class OrderMovedOn(Exception):
    """An edit would change or remove an imaging order that was booked, done or cancelled since (issue 15 §4)."""


ORDER_MOVED_ON = (
    "{orders} was {status} since the visit was logged: it cannot be changed or removed here. Keep it as it was, "
    "and update it under “Imaging ordered” on the visit page."
)


def _store_imaging(visit: Visit, entry: VisitEntry) -> bool:
    """Keep each order in its place; change, add or remove only the ones that differ. An order booked, done or
    cancelled since is part of the care record: an edit that would change or remove it is refused."""
    stored = list(visit.imaging_orders.select_for_update().order_by("pk"))
    changed = False
    for position, order in enumerate(stored):
        wanted = entry.imaging[position] if position < len(entry.imaging) else None
        same = wanted is not None and (order.modality, order.region, order.urgency, order.reason) == (
            wanted.modality,
            wanted.region,
            wanted.urgency,
            wanted.reason,
        )
        if order.status != ImagingStatus.ORDERED and not same:
            raise OrderMovedOn(ORDER_MOVED_ON.format(orders=order, status=order.get_status_display().lower()))
    for order, wanted in zip(stored, entry.imaging, strict=False):
        values = {
            "modality": wanted.modality,
            "region": wanted.region,
            "urgency": wanted.urgency,
            "reason": wanted.reason,
        }
        if _set(order, values):
            order.save()
            changed = True
    for order in stored[len(entry.imaging) :]:
        order.delete()
        changed = True
    for wanted in entry.imaging[len(stored) :]:
        ImagingOrder.objects.create(
            visit=visit, modality=wanted.modality, region=wanted.region, urgency=wanted.urgency, reason=wanted.reason
        )
        changed = True
    return changed


def _store_score(visit: Visit, kind: str, components, entry_type, score) -> bool:
    stored = visit.scores.filter(kind=kind).first()
    if not components:
        if stored is not None:
            stored.delete()
        return stored is not None
    values = new_visits.score_values(components, entry_type, score)
    if stored is None:
        FractureRiskScore.objects.create(visit=visit, kind=kind, **values)
        return True
    if _set(stored, values):
        stored.save()
        return True
    return False


def store_outcome(visit: Visit, evaluation, *, by, reason: str = "", withdraw=frozenset(), **flag_options) -> None:
    """Write the flags and recommendations of an evaluation that changed."""
    store_flags(visit, evaluation, by=by, reason=reason, withdraw=withdraw, **flag_options)
    _store_recommendations(visit, evaluation)


def _store_recommendations(visit: Visit, evaluation) -> None:
    stored = {recommendation.code: recommendation for recommendation in visit.recommendations.all()}
    wanted = {recommendation.code: recommendation for recommendation in evaluation.recommendations}
    for code, recommendation in stored.items():
        if code not in wanted:
            recommendation.delete()
    for code, recommendation in wanted.items():
        values = new_visits.recommendation_values(recommendation, visit.created_at)
        row = stored.get(code)
        if row is not None and row.due == values["due"]:
            values["due_at"] = row.due_at  # its time frame runs from when it was first written, not moved by an edit
        if row is None:
            Recommendation.objects.create(visit=visit, code=code, **values)
        elif _set(row, values):
            row.save()
