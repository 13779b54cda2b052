"""The rows of new visits, built in memory and written in bulk (issue 13).

`record_visit` writes one visit this way and `record_visits` (the bulk load) thousands, so both store exactly the
same rows: the visit, its answers, results, orders, scores, flags and recommendations, each with the one history
row a save would write, naming the person the visit was recorded by. What the rows need from the database (the
checklist, the clinic's reference ranges, the sources, earlier reviews) is read once, not once per row.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from checklists import evaluation as visit_evaluation
from checklists import rules
from checklists.entries import VisitEntry
from checklists.models import (
    ChecklistItem,
    ChecklistVersion,
    Flag,
    FractureRiskScore,
    ImagingOrder,
    LabReferenceRange,
    LabResult,
    Patient,
    Recommendation,
    ScreenAnswer,
    Source,
    Visit,
)
from checklists.models.choices import Answer, FlagStatus, ScoreKind, VisitStatus
from checklists.rules import units
from checklists.rules.document import evaluation_to_document
from checklists.rules.follow_through import DUE_HOURS
from checklists.rules.scores import mirels as mirels_score
from checklists.rules.scores import sins as sins_score
from checklists.rules.tiers import CARRY_OVER

from . import notifications
from .checklist import current_version
from .flags import carry_over_from, flag_values

SCORES = (
    (ScoreKind.MIRELS, "mirels", rules.MirelsEntry, mirels_score),
    (ScoreKind.SINS, "sins", rules.SinsEntry, sins_score),
)
# The rows a new visit writes besides its answers, by VisitRows field, after the visit (a child row needs its id).
CHILDREN = (
    ("labs", LabResult),
    ("imaging", ImagingOrder),
    ("scores", FractureRiskScore),
    ("flags", Flag),
    ("recommendations", Recommendation),
)


@dataclass(frozen=True)
class Screening:
    """What a clinic's new visits are screened and evaluated with, read once: its current checklist version with
    every item (retired ones too: the rules read them), its reference ranges, and the sources flags cite."""

    version: ChecklistVersion
    items: list[ChecklistItem]
    ranges: dict
    citations: dict

    @property
    def asked(self) -> list[ChecklistItem]:
        """The items a new visit has an answer for (not retired), in screen order."""
        return [item for item in self.items if not item.retired]


def screening_of(clinic, citations: dict | None = None) -> Screening:
    version = current_version(clinic)
    if citations is None:
        citations = {source.key: source.citation() for source in Source.objects.all()}
    return Screening(
        version=version,
        items=list(version.items.select_related("flag_source")),
        ranges=LabReferenceRange.objects.of_clinic(clinic),
        citations=citations,
    )


@dataclass
class VisitRows:
    visit: Visit
    evaluation: rules.Evaluation
    # (item id, answer) for every item asked: a visit's ~35 answers are most of the rows the bulk load writes, so
    # they are written from these pairs without a model object each (insert_answers; issue 13).
    answers: list[tuple[int, str]] = field(default_factory=list)
    labs: list[LabResult] = field(default_factory=list)
    imaging: list[ImagingOrder] = field(default_factory=list)
    scores: list[FractureRiskScore] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)


def build(
    patient: Patient,
    seen_by,
    entry: VisitEntry,
    screening: Screening,
    *,
    reviewed,
    now: datetime.datetime,
    submission_id=None,
) -> VisitRows:
    """The rows of a new visit of the patient (entry already checked): evaluated with the clinic's screening.
    `reviewed(codes)` gives the patient's reviewed flags of these codes a new flag may be carried over from; it
    is asked only when a finding could be carried over (prompt-review and routine ones)."""
    visit = Visit(
        patient=patient,
        clinic=patient.clinic,
        seen_by=seen_by,
        checklist_version=screening.version,
        submission_id=submission_id,
        visit_date=entry.visit_date,
        pain_score=entry.pain_score,
        notes=entry.notes,
        next_follow_up_due=entry.next_follow_up_due,
        status=VisitStatus.COMPLETE if entry.complete else VisitStatus.DRAFT,
    )
    evaluation = visit_evaluation.evaluate_entry(patient, entry, screening.items, ranges=screening.ranges)
    apply_evaluation(visit, evaluation)
    rows = VisitRows(visit, evaluation)
    rows.answers = [(item.pk, entry.answers.get(item.key, Answer.NOT_ASKED)) for item in screening.asked]
    for lab in visit_evaluation.with_reference_ranges(patient, entry.labs, ranges=screening.ranges):
        confirmed = lab.unit_confirmed and units.unit_confirmation_needed(lab.analyte, lab.value, lab.unit)
        rows.labs.append(LabResult(visit=visit, analyte=lab.analyte, **lab_values(lab, visit, seen_by, confirmed)))
    rows.imaging = [
        ImagingOrder(
            visit=visit, modality=order.modality, region=order.region, urgency=order.urgency, reason=order.reason
        )
        for order in entry.imaging
    ]
    for kind, name, entry_type, score in SCORES:
        components = getattr(entry, name)
        if components:
            rows.scores.append(FractureRiskScore(visit=visit, kind=kind, **score_values(components, entry_type, score)))
    codes = [finding.code for finding in evaluation.flags if finding.tier in CARRY_OVER]
    earlier = reviewed(codes) if codes else []
    for finding in evaluation.flags:
        source = carry_over_from(earlier, visit, finding)
        rows.flags.append(
            Flag(
                visit=visit,
                code=finding.code,
                raised_at=now,
                status=FlagStatus.CARRIED_OVER if source else FlagStatus.OPEN,
                carried_over_from=source,
                **flag_values(finding, evaluation, screening.citations),
            )
        )
    rows.recommendations = [
        Recommendation(visit=visit, code=recommendation.code, **recommendation_values(recommendation, now))
        for recommendation in evaluation.recommendations
    ]
    return rows


def insert(batch: list[VisitRows], *, by, now: datetime.datetime) -> None:
    """Write the visits, then each kind of row of all of them, with one history row each ("+", by `by`): two
    queries per kind of row, however many visits (the caller holds the transaction); then the messages and
    escalation checks of the flags that need them, per clinic."""
    _with_history(Visit, [rows.visit for rows in batch], by, now)
    insert_answers(batch, by=by, now=now)
    for name, model in CHILDREN:
        _with_history(model, [row for rows in batch for row in getattr(rows, name)], by, now)
    # In this transaction: the on-call team's messages cannot be lost (issue 15). One call per clinic, however many
    # visits: its messages in one insert, one sending task and one escalation check.
    by_clinic = {}
    for rows in batch:
        if rows.flags:
            by_clinic.setdefault(rows.visit.clinic_id, (rows.visit.clinic, []))[1].extend(rows.flags)
    for clinic, flags in by_clinic.values():
        notifications.flags_raised(flags, clinic)


def _with_history(model, objects: list, by, now) -> None:
    if not objects:
        return
    model.objects.bulk_create(objects)
    copy_to_history(model, [obj.pk for obj in objects], by=by, at=now)


def insert_answers(batch: list[VisitRows], *, by, now: datetime.datetime) -> None:
    """Write the visits' screen answers and their history rows: the rows bulk_create and bulk_history_create
    would write (tests/scale/test_bulk_load.py compares them, visit by visit, with record_visit's); on PostgreSQL
    in one statement however many visits."""
    values = [(visit_rows.visit.pk, item_id, answer) for visit_rows in batch for item_id, answer in visit_rows.answers]
    if not values:
        return
    table = ScreenAnswer._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(table.get_field(name).column) for name in ("visit", "item", "answer"))
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {quote(table.db_table)} ({columns}) VALUES (%s, %s, %s)",  # noqa: S608  # nosec B608
                values,
            )
        copy_to_history(ScreenAnswer, [visit_rows.visit.pk for visit_rows in batch], by=by, at=now, key="visit")
        return
    # Three array parameters, whatever the number of rows (no SQL text or parameter per row); the history rows are
    # copied from the rows the INSERT returns, not read back from the table.
    visit_ids, item_ids, answers = (list(column) for column in zip(*values, strict=True))
    into_history, history_values = _history_rows(ScreenAnswer, by=by, at=now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH new AS (INSERT INTO {quote(table.db_table)} ({columns}) "  # noqa: S608  # nosec B608 - model names
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::varchar[]) RETURNING *) "
            f"{into_history} FROM new",
            [visit_ids, item_ids, answers, *history_values],
        )


# Ids per INSERT … SELECT: under SQLite's oldest limit of 999 parameters.
IDS_PER_COPY = 900


def copy_to_history(
    model, ids: list, *, by, at=None, at_column: str = "", key: str = "pk", change: str = "+", reason: str = ""
) -> None:
    """Write a history row (`change`, by `by`, with `reason`) of each row whose `key` is one of `ids`, as the
    database copy of the row itself, dated `at` or by the row's own `at_column` (a review's: `reviewed_at`).

    The rows bulk_history_create would write, without building a Python object for each (half the bulk load's
    time was there: issue 13); tests/scale/test_bulk_load.py compares the two, column by column."""
    quote = connection.ops.quote_name
    into_history, values = _history_rows(model, by=by, at=at, at_column=at_column, change=change, reason=reason)
    where = quote(model._meta.pk.column if key == "pk" else model._meta.get_field(key).column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter, however many rows
            cursor.execute(
                f"{into_history} FROM {quote(model._meta.db_table)} WHERE {where} = ANY(%s)",  # noqa: S608  # nosec B608
                [*values, list(ids)],
            )
            return
        for start in range(0, len(ids), IDS_PER_COPY):
            chunk = ids[start : start + IDS_PER_COPY]
            cursor.execute(
                # Table and column names from the models, quoted; the values are parameters.
                f"{into_history} FROM {quote(model._meta.db_table)} "  # noqa: S608  # nosec B608
                f"WHERE {where} IN ({', '.join(['%s'] * len(chunk))})",
                [*values, *chunk],
            )


def _history_rows(model, *, by, at=None, at_column: str = "", change: str = "+", reason: str = "") -> tuple:
    """`INSERT INTO <history> (…) SELECT <the row's columns>, <when>, <reason>, <change>, <by>` and its parameters:
    the caller adds the FROM (the model's table, or rows an INSERT returned)."""
    history = model.history.model
    assert not hasattr(history, "history_relation"), "a history relation would need its own column"
    columns = [(history._meta.get_field(field.name).column, field.column) for field in history.tracked_fields]
    quote = connection.ops.quote_name
    own = [history._meta.get_field(name).column for name in ("history_date", "history_change_reason", "history_type")]
    into = [quote(column) for column, _ in columns] + [quote(column) for column in own]
    into.append(quote(history._meta.get_field("history_user").column))
    copied = ", ".join(quote(column) for _, column in columns)
    assert (at is None) != (not at_column), "a history row is dated either `at` or by `at_column`"
    if at_column:
        dated, values = quote(model._meta.get_field(at_column).column), []
    else:  # SQLite stores the date as text
        dated, values = "%s", [history._meta.get_field("history_date").get_db_prep_value(at, connection)]
    sql = f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(into)}) SELECT {copied}, {dated}, %s, %s, %s"
    return sql, [*values, reason, change, by.pk if by else None]


def update_follow_ups(patient_ids) -> None:
    """Each patient's next follow-up is the one set by their latest (not voided) visit (two queries for all)."""
    latest = Visit.objects.filter(patient=OuterRef("pk"), voided_at__isnull=True).order_by("-visit_date", "-created_at")
    patients = Patient.objects.filter(pk__in=patient_ids).annotate(
        due=Subquery(latest.values("next_follow_up_due")[:1])
    )
    changed = [patient for patient in patients if patient.next_follow_up_due != patient.due]
    now = timezone.now()
    for patient in changed:
        patient.next_follow_up_due, patient.updated_at = patient.due, now
    # A derived date, not audited on the patient (models.Patient): no history row, as update_follow_up writes none.
    Patient.objects.bulk_update(changed, ["next_follow_up_due", "updated_at"])


# -- the values of each row, shared with the edits of services.visits --------------------------------------------


def apply_evaluation(visit: Visit, evaluation) -> None:
    """Set the visit's tier, rules version and evaluation document (the caller saves the visit, once)."""
    visit.tier = evaluation.visit_tier.value
    visit.rules_version = evaluation.rules_version
    visit.evaluation = evaluation_to_document(evaluation)


def lab_values(lab, visit: Visit, confirmed_by, confirmed: bool) -> dict:
    """A result's stored values; `confirmed_by` is kept as who confirmed a soft-stop unit when `confirmed`."""
    return {
        "value": lab.value,
        "unit": lab.unit,
        "reference_lower": lab.reference_lower,
        "reference_upper": lab.reference_upper,
        "collected_on": lab.collected_on or visit.visit_date,
        "reference_from_clinic_default": lab.range_from_default,
        "unit_confirmed_by": confirmed_by if confirmed else None,
    }


def score_values(components: dict, entry_type, score) -> dict:
    result = score(entry_type(**components))
    return {"components": components, "total": result.total, "band": result.band}


def recommendation_values(recommendation, recorded_at: datetime.datetime) -> dict:
    """An action's stored values; `recorded_at` is when its visit was recorded, which its time frame runs from."""
    hours = DUE_HOURS.get(recommendation.due)
    return {
        "text": recommendation.text,
        "due": recommendation.due,
        "due_at": None if hours is None else recorded_at + datetime.timedelta(hours=hours),
        "sources": list(recommendation.sources),
        "satisfied": recommendation.satisfied,
    }
