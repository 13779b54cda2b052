"""The reads pages need, each with a fixed number of queries whatever the data size."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from checklists.rules import units
from checklists.rules.flags import SAFETY_FLOOR
from checklists.rules.follow_through import ANSWERS, DUE_HOURS
from checklists.rules.tiers import Tier, highest
from checklists.services.notifications import STUCK_AFTER

from . import searches
from .entries import ImagingEntry, LabEntry, VisitEntry
from .models import (
    ChecklistItem,
    ChecklistVersion,
    Clinic,
    Delivery,
    Flag,
    LabReferenceRange,
    Notification,
    Patient,
    Recommendation,
    SecurityAction,
    SecurityEvent,
    Source,
    Visit,
)
from .models.choices import ANALYTE_CHOICES, Answer, FlagStatus, VisitStatus

# Safety-floor questions a visit left "not asked": a draft says how many, in place of any "No flags" (issue 11).
UNASKED_FLOOR = Count(
    "answers", filter=Q(answers__answer=Answer.NOT_ASKED, answers__item__key__in=sorted(SAFETY_FLOOR))
)

TIER_ORDER = Case(*(When(tier=tier.value, then=-tier.rank) for tier in Tier), output_field=IntegerField())


def search_patients(user, query: str):
    """The user's patients whose every search word starts a word of their names or is part of their MRN; the
    exact MRN first, then family names that are the first word, then those that start with it, then by name."""
    patients = Patient.objects.for_user(user).select_related("clinic")
    words = searches.plain(query).split()
    if not words:
        return patients.order_by("family_name", "given_name", "pk")
    for word in words:
        patients = patients.filter(Q(search_words__contains=f" {word}") | Q(mrn_key__contains=word))
    rank = Case(
        When(mrn_key=searches.mrn_key(query), then=0),
        When(search_words__startswith=f" {words[0]} ", then=1),
        When(search_words__startswith=f" {words[0]}", then=2),
        default=3,
        output_field=IntegerField(),
    )
    return patients.annotate(rank=rank).order_by("rank", "family_name", "given_name", "pk")


def patient_visits(patient: Patient):
    """The patient's visits, newest first, with what the trends need (labs and the flags they raised) and, for a
    draft, how many safety questions it has not asked."""
    every_flag = Flag.objects.select_related("withdrawn_by", "reviewed_by").order_by(TIER_ORDER, "raised_at")
    return (
        patient.visits.select_related("seen_by", "voided_by")
        .annotate(unasked_floor=UNASKED_FLOOR)
        .prefetch_related("lab_results", Prefetch("flags", queryset=every_flag))
        .order_by("-visit_date", "-created_at")
    )


def clinic_reference_ranges(clinic) -> dict:
    """The clinic's own reference ranges by (analyte, unit); the built-in defaults fill the gaps."""
    return {(r.analyte, r.unit): units.Range(r.lower, r.upper) for r in LabReferenceRange.objects.filter(clinic=clinic)}


@dataclass(frozen=True)
class RangeInForce:
    analyte: str
    unit: str
    lower: Decimal
    upper: Decimal
    clinic_own: bool  # False: the built-in default of RULES.md §4.1


def ranges_in_force(clinics) -> list[tuple]:
    """Each clinic with the reference range used for every analyte and unit: its own, or the built-in default
    (one query for all the clinics)."""
    own = {(r.clinic_id, r.analyte, r.unit): r for r in LabReferenceRange.objects.filter(clinic__in=clinics)}
    analyte_names = dict(ANALYTE_CHOICES)
    in_force = []
    for clinic in clinics:
        rows = []
        for (analyte, unit), default in units.DEFAULT_REFERENCE_RANGES.items():
            found = own.get((clinic.pk, analyte, unit))
            lower, upper = (found.lower, found.upper) if found else (default.lower, default.upper)
            rows.append(RangeInForce(analyte_names[analyte], unit, lower, upper, clinic_own=found is not None))
        in_force.append((clinic, rows))
    return in_force


def version_items(version) -> list[ChecklistItem]:
    """The items a version asks (not retired), in screen order."""
    return list(
        ChecklistItem.objects.filter(version=version, retired=False).select_related("flag_source").order_by("order")
    )


def current_items(clinic) -> list[ChecklistItem]:
    """The items the clinic's new visits are asked (its current published checklist)."""
    return version_items(ChecklistVersion.objects.of_clinic(clinic).current())


def visit_flags(visit: Visit):
    """The flags of a visit, highest tier first, with their reviewer, whom they were withdrawn by, and the review
    a carried-over one relies on (one query)."""
    return visit.flags.select_related(
        "reviewed_by", "withdrawn_by", "carried_over_from__reviewed_by", "carried_over_from__visit"
    ).order_by(TIER_ORDER, "raised_at")


def flags_of_patient(visits) -> tuple[list[Flag], list[Flag]]:
    """The open flags (most urgent first) and the flags edits withdrew (most recent first) of the patient's (not
    voided) visits, from the flags `patient_visits` prefetched: no query of its own."""
    # Each prefetched flag already knows its visit (Django sets the reverse side): flag.visit costs no query.
    flags = [flag for visit in visits if not visit.is_voided for flag in visit.flags.all()]
    open_flags = sorted(
        (flag for flag in flags if flag.status == FlagStatus.OPEN),
        key=lambda flag: (-Tier(flag.tier).rank, flag.raised_at),
    )
    withdrawn = sorted(
        (flag for flag in flags if flag.status == FlagStatus.WITHDRAWN),
        key=lambda flag: (-flag.withdrawn_at.timestamp(), flag.pk),
    )
    return open_flags, withdrawn


def _filtered(flags, tier: str, clinic):
    """The flags of one tier and one clinic, when the lists' filters ask for them."""
    if tier:
        flags = flags.filter(tier=tier)
    if clinic is not None:
        flags = flags.filter(visit__clinic=clinic)
    return flags


def _of_live_visits(user, status):
    """The user's clinics' flags of this status on visits that are not voided: through the visit's own clinic
    column (issue 13), so PostgreSQL starts from the few flags of the status and never lists the clinic's visits."""
    flags = Flag.objects.filter(status=status, visit__voided_at__isnull=True)
    return flags if user.is_superuser else flags.filter(visit__clinic__in=Clinic.objects.of(user))


def withdrawn_flags(user, tier: str = "", clinic=None):
    """Every withdrawn flag of the user's clinics, most recently withdrawn first: the clinic's list of what edits
    took off the worklist, to check each was right."""
    flags = _filtered(
        Flag.objects.filter(status=FlagStatus.WITHDRAWN, visit__in=Visit.objects.for_user(user)), tier, clinic
    )
    return flags.select_related("visit__patient", "visit__clinic", "withdrawn_by").order_by("-withdrawn_at", "pk")


# What a list of flags never shows, and costs to read and decode on every row: the visit's evaluation document and
# notes, the flag's citations (issue 13).
LIST_UNUSED = ("visit__evaluation", "visit__notes", "sources")


def worklist(user, tier: str = "", clinic=None):
    """Every open flag of the user's clinics: emergencies first, oldest first within a tier."""
    flags = _filtered(_of_live_visits(user, FlagStatus.OPEN), tier, clinic)
    return (
        flags.select_related("visit__patient", "visit__clinic")
        .defer(*LIST_UNUSED)
        .order_by(TIER_ORDER, "raised_at", "pk")
    )


RECENTLY_REVIEWED = 10


def recently_reviewed(user, tier: str = "", clinic=None):
    """The last flags reviewed in the user's clinics, newest review first (under the worklist: how long each took)."""
    flags = _filtered(_of_live_visits(user, FlagStatus.REVIEWED), tier, clinic)
    return (
        flags.select_related("visit__patient", "visit__clinic", "reviewed_by")
        .defer(*LIST_UNUSED)
        .order_by("-reviewed_at")[:RECENTLY_REVIEWED]
    )


def open_flag_counts(user) -> dict[str, int]:
    """The number of open flags per tier in the user's clinics, for the navigation bar."""
    counts = _of_live_visits(user, FlagStatus.OPEN).values("tier").annotate(open=Count("pk")).order_by()
    return {row["tier"]: row["open"] for row in counts}


def worklist_count(open_counts: dict[str, int], tier: str = "", clinic=None) -> int | None:
    """How many flags `worklist(user, tier, clinic)` lists, from the user's `open_flag_counts` (the same open flags
    of live visits, by tier), without counting again; None when a clinic is chosen (those counts span them all)."""
    if clinic is not None:
        return None
    return open_counts.get(tier, 0) if tier else sum(open_counts.values())


def overdue_follow_ups(user, today):
    """Patients whose next follow-up date has passed, oldest first."""
    return follow_ups(user, today, days_ahead=None)


def follow_ups(user, today, days_ahead: int | None):
    """Patients whose next follow-up is overdue (days_ahead None), or due from today to `days_ahead` days ahead,
    soonest first; each with the tier of their latest visit and the number of their open flags (issue 15 §5)."""
    window = (
        Q(next_follow_up_due__lt=today)
        if days_ahead is None
        else Q(next_follow_up_due__gte=today, next_follow_up_due__lte=today + datetime.timedelta(days=days_ahead))
    )
    live = Visit.objects.filter(patient=OuterRef("pk"), voided_at__isnull=True)
    open_flags = (
        Flag.objects.filter(visit__patient=OuterRef("pk"), visit__voided_at__isnull=True, status=FlagStatus.OPEN)
        .order_by()
        .values("visit__patient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Patient.objects.for_user(user)
        .filter(window)
        .select_related("clinic")
        .annotate(
            last_tier=Subquery(live.order_by("-visit_date", "-created_at").values("tier")[:1]),
            open_flags=Coalesce(Subquery(open_flags), 0),
        )
        .order_by("next_follow_up_due", "family_name", "pk")
    )


def visit_answers(visit: Visit):
    """The visit's answers, positives first, each with the wording it was asked with."""
    answers = visit.answers.select_related("item")
    return sorted(answers, key=lambda a: (a.answer != Answer.YES, a.answer != Answer.NO, a.item.order))


def visit_entry(visit: Visit, *, recorded_ranges: bool = True) -> VisitEntry:
    """A saved visit as the entry it was made from.

    With recorded_ranges (re-evaluation) every result keeps the range it was recorded with; without (the edit
    form), a range copied from the clinic default goes back to "not given", as staff left it.
    """
    scores = {score.kind: score.components for score in visit.scores.all()}
    labs = []
    for lab in visit.lab_results.all():
        given = recorded_ranges or not lab.reference_from_clinic_default
        labs.append(
            LabEntry(
                lab.analyte,
                lab.value,
                lab.unit,
                lab.reference_lower if given else None,
                lab.reference_upper if given else None,
                lab.collected_on,
                unit_confirmed=lab.unit_confirmed_by_id is not None,
            )
        )
    return VisitEntry(
        visit_date=visit.visit_date,
        answers={answer.item.key: answer.answer for answer in visit.answers.select_related("item")},
        pain_score=visit.pain_score,
        labs=tuple(labs),
        imaging=tuple(
            ImagingEntry(order.modality, order.region, order.urgency, order.reason)
            for order in visit.imaging_orders.all()
        ),
        mirels=scores.get("mirels"),
        sins=scores.get("sins"),
        notes=visit.notes,
        next_follow_up_due=visit.next_follow_up_due,
        complete=visit.status == VisitStatus.COMPLETE,
    )


def citations():
    return {source.key: source.citation() for source in Source.objects.all()}


def drafts(user, *, mine: bool):
    """Visits saved as drafts (not voided): the user's own, or every one of their clinics', most recently
    changed first, each with how many safety questions it has not asked."""
    visits = Visit.objects.for_user(user).filter(status=VisitStatus.DRAFT, voided_at__isnull=True)
    if mine:
        visits = visits.filter(seen_by=user)
    return (
        visits.select_related("patient", "clinic", "seen_by")
        .annotate(unasked_floor=UNASKED_FLOOR)
        .order_by("-updated_at", "pk")
    )


def unasked_floor(visit: Visit) -> int:
    """How many safety-floor questions the visit left "not asked"."""
    return visit.answers.filter(answer=Answer.NOT_ASKED, item__key__in=sorted(SAFETY_FLOOR)).count()


def with_first_print(visits):
    """Visits with when their summary was first printed (every print is a security event; None when it never was)
    and whether the visit changed since, read with the visit itself rather than in a query of their own."""
    prints = SecurityEvent.objects.filter(
        action=SecurityAction.PRINT_SUMMARY, object_type="visit", object_id=Cast(OuterRef("pk"), CharField())
    ).order_by("at")
    changed = Visit.history.filter(id=OuterRef("pk"), history_date__gt=OuterRef("first_printed_at"))
    return visits.annotate(first_printed_at=Subquery(prints.values("at")[:1])).annotate(
        changed_since_first_print=Exists(changed)
    )


# How long a failure or a message never sent keeps the banner up, when nothing reached that contact since.
FAILING_SHOWN_FOR = datetime.timedelta(days=7)


def notifications_failing_since(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When messages to on-call started failing (issue 15: the worklist's banner, for everyone; it names no
    patient): a message failed more than once, or gave up, with nothing delivered to that contact since; or a
    message not sent 5 minutes after it was written (a stopped worker). One query."""
    now = now or timezone.now()
    delivered_since = Notification.objects.filter(
        status=Delivery.SENT,
        recipient=OuterRef("recipient"),
        channel=OuterRef("channel"),
        sent_at__gt=OuterRef("last_attempt_at"),
    )
    recent = now - FAILING_SHOWN_FOR
    failing = (Q(status=Delivery.FAILED) | Q(status=Delivery.PENDING, attempts__gte=2)) & Q(first_failed_at__gt=recent)
    never_tried = Q(status=Delivery.PENDING, attempts=0, created_at__lt=now - STUCK_AFTER, created_at__gt=recent)
    found = Notification.objects.annotate(delivered_since=Exists(delivered_since)).aggregate(
        failing=Min("first_failed_at", filter=failing & Q(delivered_since=False)),
        stuck=Min("created_at", filter=never_tried),
    )
    return min((when for when in found.values() if when is not None), default=None)


def flag_notifications(flag):
    """What the flag's contacts were told and whether it reached them, oldest first (the flag's log)."""
    return list(flag.notifications.all())


def open_actions_of_patient(patient: Patient) -> list[Recommendation]:
    """Every recommended action of the patient's (not voided) visits not yet done, oldest first (issue 15 §4)."""
    return list(
        Recommendation.objects.filter(visit__patient=patient, visit__voided_at__isnull=True, done_at__isnull=True)
        .select_related("visit")
        .order_by("visit__visit_date", "visit__created_at", "pk")
    )


OVERDUE_ACTIONS_SHOWN = 50
VISIT_TIER_ORDER = Case(*(When(visit__tier=tier.value, then=-tier.rank) for tier in Tier), output_field=IntegerField())


@dataclass(frozen=True)
class OverdueAction:
    action: Recommendation
    tier: Tier
    due_at: datetime.datetime


# The worklist shows the actions that fell due in the last month: one from a visit a year ago ("MRI within 24
# hours") is no longer a thing to do today, and the patient page lists every open action whatever its age.
OVERDUE_ACTIONS_WINDOW = datetime.timedelta(days=30)


def overdue_actions(user, now: datetime.datetime, tier: str = "", clinic=None) -> list[OverdueAction]:
    """Open actions of the user's clinics past their time frame (fallen due in the last month), highest tier
    first, then the longest overdue (the worklist, issue 15 §4); each takes the tier of the flags it answers.
    With the worklist's filters: of one clinic; of one tier (an action's tier never exceeds its visit's). Two
    queries, from the index of open actions by when they fall due (issue 13)."""
    fell_due = Q(due_at__lte=now, due_at__gt=now - OVERDUE_ACTIONS_WINDOW)
    # An action written by the release before due_at (while migration 0033 ran, before the restart) has none: its
    # time frame runs from its visit's recording, as it did then. Few rows, found in the same index (NULLs too).
    for words, hours in DUE_HOURS.items():
        recorded = now - datetime.timedelta(hours=hours)
        fell_due |= Q(
            due_at__isnull=True,
            due=words,
            visit__created_at__lte=recorded,
            visit__created_at__gt=recorded - OVERDUE_ACTIONS_WINDOW,
        )
    actions = Recommendation.objects.filter(fell_due, done_at__isnull=True, visit__voided_at__isnull=True)
    if not user.is_superuser:
        actions = actions.filter(visit__clinic__in=Clinic.objects.of(user))
    if clinic is not None:
        actions = actions.filter(visit__clinic=clinic)
    if tier:  # an action's tier never exceeds its visit's
        actions = actions.filter(visit__tier__in=[t.value for t in Tier if t.rank >= Tier(tier).rank])
    actions = (
        actions.select_related("visit__patient", "visit__clinic")
        .prefetch_related(Prefetch("visit__flags", queryset=Flag.objects.only("visit_id", "code", "tier")))
        # Most serious visits first, so the cap drops the least serious: an action takes its flags' tier, never
        # above its visit's, so an overdue MRI of an emergency is never cut for older routine actions.
        .order_by(VISIT_TIER_ORDER, "due_at", "visit__created_at", "pk")[:OVERDUE_ACTIONS_SHOWN]
    )
    rows = []
    for action in actions:
        answered = [Tier(flag.tier) for flag in action.visit.flags.all() if flag.code in ANSWERS.get(action.code, ())]
        due_at = action.due_at or action.visit.created_at + datetime.timedelta(hours=DUE_HOURS[action.due])
        row = OverdueAction(action, highest(answered), due_at)
        if not tier or row.tier.value == tier:
            rows.append(row)
    return sorted(rows, key=lambda row: (-row.tier.rank, row.due_at))
