"""The clinical history of a visit or a patient, in clinic words, from the history rows the app already keeps
(issue 12 §4): when, who, what changed and why.

Each save writes one history row per record it changed (issue 9). Rows of one visit (or of the patient's
record) written by one person for one reason within a few seconds are one change here ("Visit recorded" with
its answers, results and flags), so a reader sees what someone did, not how the database stored it. Values
are shown as every other page shows them.
"""

import datetime
from dataclasses import dataclass, field

from checklists.models import Flag, FractureRiskScore, ImagingOrder, LabResult, Patient, ScreenAnswer, Visit
from checklists.models.choices import (
    ANALYTE_CHOICES,
    IMAGING_CHOICES,
    Answer,
    FlagStatus,
    ImagingStatus,
    ImagingUrgency,
    ReviewAction,
    ScoreKind,
    Sex,
    VisitStatus,
)
from checklists.rules import units
from checklists.rules.tiers import Tier

ONE_CHANGE = datetime.timedelta(seconds=5)  # the rows of one save are written well within this
ANALYTES = dict(ANALYTE_CHOICES)
REVIEW_ACTIONS = dict(ReviewAction.choices)
STATUSES = dict(VisitStatus.choices)
SEXES = dict(Sex.choices)
MODALITIES = dict(IMAGING_CHOICES)


@dataclass
class Change:
    """One thing someone did: when, who, what (lines in clinic words) and why."""

    when: datetime.datetime
    who: object  # a User, or None for a change the system made (a data migration)
    why: str
    what: list[str] = field(default_factory=list)
    flag_ids: set[int] = field(default_factory=set)
    visit_ids: set[int] = field(default_factory=set)
    visits: list = field(default_factory=list)  # the visits it touched, for a patient's history
    subject: int | None = None  # the visit it changed; None for the patient's own record
    # Answers recorded with a new visit: the Yes ones are listed, the rest counted.
    answered_no: int = 0
    not_asked: int = 0

    def lines(self) -> list[str]:
        counted = []
        if self.answered_no:
            counted.append(f"{self.answered_no} question{'s' if self.answered_no != 1 else ''} answered No")
        if self.not_asked:
            counted.append(f"{self.not_asked} not asked")
        return self.what + ([", ".join(counted)] if counted else [])


def _day(value) -> str:
    return f"{value:%-d %b %Y}" if value else "none"


def _tier(value: str) -> str:
    return Tier(value).label


def _visit_lines(row, before) -> list[str]:
    if before is None:
        return [f"Visit recorded ({STATUSES[row.status].lower()}), seen on {_day(row.visit_date)}"]
    lines = []
    if row.visit_date != before.visit_date:
        lines.append(f"Visit date {_day(before.visit_date)} → {_day(row.visit_date)}")
    if row.status != before.status:
        lines.append(f"Saved as {STATUSES[row.status].lower()} (was {STATUSES[before.status].lower()})")
    if row.pain_score != before.pain_score:
        lines.append(f"Pain score {_or_none(before.pain_score)} → {_or_none(row.pain_score)} (of 10)")
    if row.notes != before.notes:
        lines.append("Notes changed")
    if row.next_follow_up_due != before.next_follow_up_due:
        lines.append(f"Next follow-up due {_day(before.next_follow_up_due)} → {_day(row.next_follow_up_due)}")
    if row.tier != before.tier:
        lines.append(f"Visit tier {_tier(before.tier)} → {_tier(row.tier)}")
    if row.re_evaluated_at != before.re_evaluated_at and row.re_evaluated_at:
        lines.append("Re-evaluated with the current rules")
    if row.voided_at and not before.voided_at:
        lines.append(f"Visit voided: {row.void_reason}")
    return lines


def _or_none(value) -> str:
    return "none" if value in (None, "") else str(value)


def _answer_lines(row, before, wording: str, change: Change) -> list[str]:
    answer = Answer(row.answer)
    if row.history_type == "-":
        return [f"“{wording}”: answer removed"]
    if before is None:
        if answer == Answer.YES:
            return [f"“{wording}”: Yes"]
        if answer == Answer.NO:
            change.answered_no += 1
        else:
            change.not_asked += 1
        return []
    if row.answer == before.answer:
        return []
    return [f"“{wording}”: {Answer(before.answer).label} → {answer.label}"]


def _quantity(value, unit: str) -> str:
    return f"{units.shown(value, unit)} {unit}"


def _lab_lines(row, before) -> list[str]:
    name = ANALYTES.get(row.analyte, row.analyte)
    if row.history_type == "-":
        return [f"{name} {_quantity(row.value, row.unit)} removed"]
    if before is None:
        return [f"{name} {_quantity(row.value, row.unit)}"]
    lines = []
    if row.unit != before.unit:
        lines.append(f"{name} {_quantity(before.value, before.unit)} → {_quantity(row.value, row.unit)}")
    elif row.value != before.value:
        lines.append(f"{name} {units.shown(before.value, row.unit)} → {_quantity(row.value, row.unit)}")
    for attribute, limit in (("reference_lower", "lower limit"), ("reference_upper", "upper limit")):
        old, new = getattr(before, attribute), getattr(row, attribute)
        if old != new and row.unit == before.unit:
            lines.append(f"{name} {limit} {_or_none(units.shown(old, row.unit))} → {_quantity(new, row.unit)}")
    if row.collected_on != before.collected_on:
        lines.append(f"{name} taken on {_day(before.collected_on)} → {_day(row.collected_on)}")
    if row.unit_confirmed_by_id and not before.unit_confirmed_by_id:
        lines.append(f"{name} unit confirmed")
    return lines


def _imaging_lines(row, before) -> list[str]:
    order = f"{MODALITIES.get(row.modality, row.modality)} {row.region}"
    urgency = ImagingUrgency(row.urgency).label.lower()
    if row.history_type == "-":
        return [f"Imaging order removed: {order}"]
    if before is None:
        return [f"Imaging ordered: {order}, {urgency}" + (f" ({row.reason})" if row.reason else "")]
    lines = []
    was = f"{MODALITIES.get(before.modality, before.modality)} {before.region}"
    if was != order:
        lines.append(f"Imaging order {was} → {order}")
    if row.urgency != before.urgency:
        lines.append(f"Imaging {order}: {ImagingUrgency(before.urgency).label.lower()} → {urgency}")
    if row.reason != before.reason:
        lines.append(f"Imaging {order}: reason changed")
    if row.status != before.status:
        lines.append(f"Imaging {order}: {ImagingStatus(row.status).label.lower()}")
    return lines


def _score_lines(row, before) -> list[str]:
    name = ScoreKind(row.kind).label
    if row.history_type == "-":
        return [f"{name} score removed (was {row.total}, {row.band})"]
    if before is None:
        return [f"{name} score {row.total} ({row.band})"]
    if (row.total, row.band, row.components) == (before.total, before.band, before.components):
        return []
    return [f"{name} score {before.total} → {row.total} ({row.band})"]


def _flag_lines(row, before) -> list[str]:
    title = f"{row.title} ({_tier(row.tier)})"
    if before is None:
        if row.status == FlagStatus.CARRIED_OVER:
            return [f"Flag raised: {title}, covered by an earlier “known and stable” review (carried over)"]
        return [f"Flag raised: {title}"]
    lines = []
    if row.status != before.status:
        if row.status == FlagStatus.OPEN and before.status == FlagStatus.CARRIED_OVER:
            # Never reviewed at this visit: the earlier review it relied on no longer stands (or it worsened).
            lines.append(f"Flag opened for review: {title}; the earlier “known and stable” review no longer covers it")
        elif row.status == FlagStatus.REVIEWED:
            action = REVIEW_ACTIONS.get(row.review_action, row.review_action)
            note = f": {row.review_note}" if row.review_note else ""
            stable = f"; known and stable until {_day(row.stable_until)}" if row.stable_until else ""
            lines.append(f"Flag reviewed: {title} — {action}{note}{stable}")
        elif row.status == FlagStatus.WITHDRAWN:
            lines.append(f"Flag withdrawn: {title}")
        elif row.status == FlagStatus.CARRIED_OVER:
            lines.append(f"Flag carried over: {title}")
        else:
            was = "reviewed" if before.status == FlagStatus.REVIEWED else "withdrawn"
            lines.append(f"Flag reopened: {title}; it had been {was}")
    if row.tier != before.tier:
        lines.append(f"{row.title}: {_tier(before.tier)} → {_tier(row.tier)}")
    elif row.grade != before.grade:
        lines.append(f"{row.title}: grade {_or_none(before.grade)} → {_or_none(row.grade)}")
    return lines


PATIENT_FIELDS = (
    ("mrn", "MRN"),
    ("family_name", "Family name"),
    ("given_name", "Given name"),
    ("date_of_birth", "Date of birth"),
    ("sex", "Sex"),
    ("primary_cancer", "Primary cancer"),
    ("primary_cancer_other", "Other primary cancer"),
    ("known_sites", "Known bone-metastasis sites"),
    ("bone_agent", "Bone-targeted medicine"),
    ("baseline_alp", "Baseline ALP"),
    ("baseline_alp_measured_on", "Baseline ALP measured on"),
)


def _patient_lines(row, before) -> list[str]:
    if before is None:
        return ["Patient added"]
    lines = []
    for name, label in PATIENT_FIELDS:
        old, new = getattr(before, name), getattr(row, name)
        if old != new:
            lines.append(f"{label} {_patient_value(name, old)} → {_patient_value(name, new)}")
    return lines


def _patient_value(name: str, value) -> str:
    if isinstance(value, datetime.date):
        return _day(value)
    if name == "sex":
        return SEXES.get(value, value)
    if name == "baseline_alp":
        return _quantity(value, units.U_L) if value is not None else "none"
    if isinstance(value, list):
        return ", ".join(value) or "none"
    return _or_none(value)


def _rows_with_previous(rows, key):
    """(row, the same record's previous row or None), oldest first."""
    latest = {}
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        yield row, latest.get(key(row))
        latest[key(row)] = row


def _history_rows(visit_ids):
    """Every history row of these visits and of their answers (with each item's wording), results, imaging
    orders, scores and flags: six queries, whatever the number of changes."""
    user = ("history_user",)
    visits = Visit.history.filter(id__in=visit_ids).select_related(*user)
    answers = ScreenAnswer.history.filter(visit_id__in=visit_ids).select_related(*user, "item")
    labs = LabResult.history.filter(visit_id__in=visit_ids).select_related(*user)
    imaging = ImagingOrder.history.filter(visit_id__in=visit_ids).select_related(*user)
    scores = FractureRiskScore.history.filter(visit_id__in=visit_ids).select_related(*user)
    flags = Flag.history.filter(visit_id__in=visit_ids).select_related(*user)
    return list(visits), list(answers), list(labs), list(imaging), list(scores), list(flags)


def _entries(visit_ids, patient_rows=()) -> list[tuple]:
    """(row, lines) for every row that changed something a clinician would see, with the change it belongs to."""
    visits, answers, labs, imaging, scores, flags = _history_rows(visit_ids)
    found = []
    for row, before in _rows_with_previous(visits, lambda r: r.id):
        found.append((row, lambda change, row=row, before=before: _visit_lines(row, before), None, row.id))
    for row, before in _rows_with_previous(answers, lambda r: r.id):
        wording = row.item.wording

        def lines(change, row=row, before=before, wording=wording):
            return _answer_lines(row, before, wording, change)

        found.append((row, lines, None, row.visit_id))
    for row, before in _rows_with_previous(labs, lambda r: r.id):
        found.append((row, lambda change, row=row, before=before: _lab_lines(row, before), None, row.visit_id))
    for row, before in _rows_with_previous(imaging, lambda r: r.id):
        found.append((row, lambda change, row=row, before=before: _imaging_lines(row, before), None, row.visit_id))
    for row, before in _rows_with_previous(scores, lambda r: r.id):
        found.append((row, lambda change, row=row, before=before: _score_lines(row, before), None, row.visit_id))
    for row, before in _rows_with_previous(flags, lambda r: r.id):
        found.append((row, lambda change, row=row, before=before: _flag_lines(row, before), row.id, row.visit_id))
    for row, before in _rows_with_previous(patient_rows, lambda r: r.id):
        found.append((row, lambda change, row=row, before=before: _patient_lines(row, before), None, None))
    return found


_KIND_ORDER = {
    name: order
    for order, name in enumerate(
        f"Historical{model}"
        for model in ("Patient", "Visit", "ScreenAnswer", "LabResult", "ImagingOrder", "FractureRiskScore", "Flag")
    )
}


def _changes(found) -> list[Change]:
    """The rows grouped into changes: one person, one reason, written together. Oldest first."""
    changes: list[Change] = []
    # Rows written at the same moment (a new visit's, written in bulk) in the order a reader takes them in: the
    # visit, its answers, results, orders, scores, flags, as `_entries` lists them; history ids of different
    # tables say nothing about each other.
    rank = {id(entry): position for position, entry in enumerate(found)}
    in_order = sorted(found, key=lambda f: (f[0].history_date, _KIND_ORDER[type(f[0]).__name__], rank[id(f)]))
    for row, lines, flag_id, visit_id in in_order:
        why = row.history_change_reason or ""
        last = changes[-1] if changes else None
        same = (
            last is not None
            and last.subject == visit_id  # a visit's rows, or (None) the patient's record
            and getattr(last.who, "pk", None) == row.history_user_id
            and last.why == why
            and row.history_date - last.when <= ONE_CHANGE
        )
        if not same:
            last = Change(when=row.history_date, who=row.history_user, why=why, subject=visit_id)
            changes.append(last)
        last.what += lines(last)
        if flag_id is not None:
            last.flag_ids.add(flag_id)
        if visit_id is not None:
            last.visit_ids.add(visit_id)
    return [change for change in changes if change.lines()]


def visit_history(visit: Visit) -> list[Change]:
    """Every change to the visit, its answers, results and flags, oldest first."""
    return _changes(_entries([visit.pk]))


def flag_history(flag: Flag) -> list[Change]:
    """The changes of the visit that touched this flag, each whole (what else changed with it tells why)."""
    return [change for change in visit_history(flag.visit) if flag.pk in change.flag_ids]


def patient_history(patient: Patient) -> list[Change]:
    """Changes to the patient's record and to every one of their visits, oldest first."""
    visits = {visit.pk: visit for visit in patient.visits.only("pk", "visit_date", "patient_id")}
    patient_rows = list(Patient.history.filter(id=patient.pk).select_related("history_user"))
    changes = _changes(_entries(list(visits), patient_rows))
    for change in changes:
        change.visits = sorted((visits[pk] for pk in change.visit_ids if pk in visits), key=lambda v: v.visit_date)
    return changes


def last_change(visit: Visit) -> Change | None:
    history = visit_history(visit)
    return history[-1] if history else None
