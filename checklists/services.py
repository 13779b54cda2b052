"""Every write of the app: keyword-only, one transaction each, validated before save (DESIGN.md §2)."""

from django.db import transaction
from django.utils import timezone

from checklists import rules
from checklists.rules.document import evaluation_to_document
from checklists.rules.scores import mirels as mirels_score
from checklists.rules.scores import sins as sins_score

from . import evaluation as visit_evaluation
from .entries import VisitEntry
from .models import (
    ChecklistVersion,
    Flag,
    FractureRiskScore,
    ImagingOrder,
    LabResult,
    Patient,
    Recommendation,
    ScreenAnswer,
    Source,
    Visit,
)
from .models.choices import Answer, FlagStatus, ScoreKind, VisitStatus

VISIT_CHANGED = (
    "Someone else saved this visit while you were editing it. Your answers are still on the form: "
    "check them against the saved visit and save again."
)


class VisitChanged(Exception):
    """The visit was saved by someone else since the form was opened (optimistic locking)."""


@transaction.atomic
def create_patient(*, clinic, **details) -> Patient:
    patient = Patient(clinic=clinic, **details)
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def update_patient(*, patient: Patient, **details) -> Patient:
    for name, value in details.items():
        setattr(patient, name, value)
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def record_visit(*, patient: Patient, seen_by, entry: VisitEntry) -> Visit:
    """Save a new visit with its answers, labs, imaging and scores, then evaluate it and store its flags."""
    visit = Visit(
        patient=patient, clinic=patient.clinic, seen_by=seen_by, checklist_version=ChecklistVersion.objects.current()
    )
    _apply(visit, entry)
    visit.save()
    _store_rows(visit, entry)
    _evaluate(visit, entry)
    return visit


@transaction.atomic
def update_visit(*, visit: Visit, entry: VisitEntry, lock_version: int) -> Visit:
    """Save an edited visit and re-evaluate it; a flag that still fires keeps its identity."""
    current = Visit.objects.select_for_update().get(pk=visit.pk)
    if current.lock_version != lock_version:
        raise VisitChanged(VISIT_CHANGED)
    _apply(current, entry)
    current.lock_version += 1
    current.save()
    _store_rows(current, entry)
    _evaluate(current, entry)
    return current


def _apply(visit: Visit, entry: VisitEntry) -> None:
    visit.visit_date = entry.visit_date
    visit.pain_score = entry.pain_score
    visit.notes = entry.notes
    visit.next_follow_up_due = entry.next_follow_up_due
    visit.status = VisitStatus.COMPLETE if entry.complete else VisitStatus.DRAFT


def _store_rows(visit: Visit, entry: VisitEntry) -> None:
    _store_answers(visit, entry.answers)
    _store_labs(visit, entry)
    visit.imaging_orders.all().delete()
    for order in entry.imaging:
        ImagingOrder.objects.create(
            visit=visit, modality=order.modality, region=order.region, urgency=order.urgency, reason=order.reason
        )
    _store_score(visit, ScoreKind.MIRELS, entry.mirels, rules.MirelsEntry, mirels_score)
    _store_score(visit, ScoreKind.SINS, entry.sins, rules.SinsEntry, sins_score)


def _store_answers(visit: Visit, answers: dict[str, str]) -> None:
    stored = {answer.item.key: answer for answer in visit.answers.select_related("item")}
    for item in visit.checklist_version.items.all():
        value = answers.get(item.key, Answer.NOT_ASKED)
        answer = stored.get(item.key)
        if answer is None:
            ScreenAnswer.objects.create(visit=visit, item=item, answer=value)
        elif answer.answer != value:
            answer.answer = value
            answer.save()


def _store_labs(visit: Visit, entry: VisitEntry) -> None:
    labs = visit_evaluation.with_reference_ranges(visit.patient, entry.labs)
    given = {lab.analyte for lab in entry.labs}
    visit.lab_results.exclude(analyte__in=given).delete()
    for lab in labs:
        original = next(e for e in entry.labs if e.analyte == lab.analyte)
        LabResult.objects.update_or_create(
            visit=visit,
            analyte=lab.analyte,
            defaults={
                "value": lab.value,
                "unit": lab.unit,
                "reference_lower": lab.reference_lower,
                "reference_upper": lab.reference_upper,
                "collected_on": lab.collected_on or visit.visit_date,
                "reference_from_clinic_default": original.reference_upper is None,
            },
        )


def _store_score(visit: Visit, kind: str, components, entry_type, score) -> None:
    if not components:
        visit.scores.filter(kind=kind).delete()
        return
    result = score(entry_type(**components))
    FractureRiskScore.objects.update_or_create(
        visit=visit, kind=kind, defaults={"components": components, "total": result.total, "band": result.band}
    )


def _evaluate(visit: Visit, entry: VisitEntry) -> None:
    evaluation = visit_evaluation.evaluate_entry(visit.patient, entry, exclude_visit_id=visit.pk)
    now = timezone.now()
    _store_flags(visit, evaluation, now)
    _store_recommendations(visit, evaluation)
    visit.tier = evaluation.visit_tier.value
    visit.rules_version = evaluation.rules_version
    visit.evaluation = evaluation_to_document(evaluation)
    visit.save(update_fields=["tier", "rules_version", "evaluation", "updated_at"])


def _store_flags(visit: Visit, evaluation, now) -> None:
    citations = {source.key: source.citation() for source in Source.objects.all()}
    existing = {flag.code: flag for flag in visit.flags.all()}
    for raised in evaluation.flags:
        values = {
            "tier": raised.tier.value,
            "title": raised.title,
            "reason": raised.reason,
            "sources": [citations.get(key, {"key": key}) for key in raised.sources],
            "rules_version": evaluation.rules_version,
        }
        flag = existing.pop(raised.code, None)
        if flag is None:
            Flag.objects.create(visit=visit, code=raised.code, raised_at=now, **values)
            continue
        changed = any(getattr(flag, name) != value for name, value in values.items())
        if flag.status == FlagStatus.CLOSED:
            flag.status, flag.closed_at, flag.raised_at, changed = FlagStatus.OPEN, None, now, True
        if changed:
            for name, value in values.items():
                setattr(flag, name, value)
            flag.save()
    for flag in existing.values():
        if flag.status == FlagStatus.OPEN:
            flag.status, flag.closed_at = FlagStatus.CLOSED, now
            flag.save()


def _store_recommendations(visit: Visit, evaluation) -> None:
    wanted = {r.code: r for r in evaluation.recommendations}
    visit.recommendations.exclude(code__in=wanted).delete()
    for code, recommendation in wanted.items():
        Recommendation.objects.update_or_create(
            visit=visit,
            code=code,
            defaults={
                "text": recommendation.text,
                "due": recommendation.due,
                "sources": list(recommendation.sources),
                "satisfied": recommendation.satisfied,
            },
        )
