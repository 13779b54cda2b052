"""Record and edit visits: save the rows, evaluate them and store flags and recommendations, in one transaction."""

from django.db import transaction
from django.utils import timezone

from checklists import evaluation as visit_evaluation
from checklists import rules
from checklists.entries import VisitEntry
from checklists.models import (
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
from checklists.models.choices import Answer, FlagStatus, ReviewAction, ScoreKind, VisitStatus
from checklists.rules.document import evaluation_to_document
from checklists.rules.scores import mirels as mirels_score
from checklists.rules.scores import sins as sins_score
from checklists.rules.tiers import Tier

VISIT_CHANGED = (
    "Someone else saved this visit while you were editing it. Your answers are still on the form: "
    "check them against the saved visit and save again."
)


class VisitChanged(Exception):
    """The visit was saved by someone else since the form was opened (optimistic locking)."""


@transaction.atomic
def record_visit(*, patient: Patient, seen_by, entry: VisitEntry) -> Visit:
    """Save a new visit with its answers, labs, imaging and scores, then evaluate it and store its flags."""
    visit = Visit(
        patient=patient, clinic=patient.clinic, seen_by=seen_by, checklist_version=ChecklistVersion.objects.current()
    )
    _apply(visit, entry)
    visit.save()
    _store_rows(visit, entry)
    evaluate_and_store(visit, entry)
    update_follow_up(patient)
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
    evaluate_and_store(current, entry)
    update_follow_up(current.patient)
    return current


def update_follow_up(patient: Patient) -> None:
    """The patient's next follow-up is the one set by their latest visit."""
    latest = patient.visits.order_by("-visit_date", "-created_at").first()
    due = latest.next_follow_up_due if latest else None
    if patient.next_follow_up_due != due:
        patient.next_follow_up_due = due
        patient.save(update_fields=["next_follow_up_due", "updated_at"])


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
    for item in visit.checklist_version.items.filter(retired=False):
        value = answers.get(item.key, Answer.NOT_ASKED)
        answer = stored.get(item.key)
        if answer is None:
            ScreenAnswer.objects.create(visit=visit, item=item, answer=value)
        elif answer.answer != value:
            answer.answer = value
            answer.save()


def _store_labs(visit: Visit, entry: VisitEntry) -> None:
    resolved = visit_evaluation.with_reference_ranges(visit.patient, entry.labs)
    visit.lab_results.exclude(analyte__in=[lab.analyte for lab in entry.labs]).delete()
    for original, lab in zip(entry.labs, resolved, strict=True):
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


def evaluate_and_store(visit: Visit, entry: VisitEntry) -> None:
    items = list(visit.checklist_version.items.select_related("flag_source"))
    evaluation = visit_evaluation.evaluate_entry(visit.patient, entry, items, exclude_visit_id=visit.pk)
    now = timezone.now()
    _store_flags(visit, evaluation, now)
    _store_recommendations(visit, evaluation)
    visit.tier = evaluation.visit_tier.value
    visit.rules_version = evaluation.rules_version
    visit.evaluation = evaluation_to_document(evaluation)
    visit.save(update_fields=["tier", "rules_version", "evaluation", "updated_at"])


REVIEW_FIELDS = ("reviewed_by", "reviewed_at", "review_action", "review_note", "stable_until")


def _store_flags(visit: Visit, evaluation, now) -> None:
    """Keep a flag that still fires (and its review, unless its tier rose); close those that stopped."""
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
            Flag.objects.create(
                visit=visit, code=raised.code, raised_at=now, **values, **_known_stable(visit, raised, now)
            )
            continue
        tier_rose = raised.tier.rank > Tier(flag.tier).rank
        changed = any(getattr(flag, name) != value for name, value in values.items())
        if flag.status == FlagStatus.CLOSED or (flag.status == FlagStatus.REVIEWED and tier_rose):
            _reopen(flag, now)
            changed = True
        if changed:
            for name, value in values.items():
                setattr(flag, name, value)
            flag.save()
    for flag in existing.values():
        if flag.status != FlagStatus.CLOSED:
            flag.status, flag.closed_at = FlagStatus.CLOSED, now
            flag.save()


def _reopen(flag: Flag, now) -> None:
    flag.status, flag.closed_at, flag.raised_at = FlagStatus.OPEN, None, now
    for name in REVIEW_FIELDS:
        setattr(flag, name, None if name in ("reviewed_by", "reviewed_at", "stable_until") else "")


def _known_stable(visit: Visit, raised, now) -> dict:
    """Carry over an earlier "known and stable until" review while it lasts and the finding has not worsened.

    Decision (safety): never for an emergency, which must be reviewed every time.
    """
    if raised.tier == Tier.EMERGENCY:
        return {}
    earlier = (
        Flag.objects.filter(
            visit__patient=visit.patient,
            code=raised.code,
            status=FlagStatus.REVIEWED,
            stable_until__gte=visit.visit_date,
        )
        .exclude(visit=visit)
        .select_related("reviewed_by")
        .order_by("-reviewed_at")
        .first()
    )
    if earlier is None or raised.tier.rank > Tier(earlier.tier).rank:
        return {}
    note = (
        f"Known and stable until {earlier.stable_until:%d %b %Y}: reviewed by {earlier.reviewed_by} "
        f"on {timezone.localtime(earlier.reviewed_at):%d %b %Y}."
    )
    return {
        "status": FlagStatus.REVIEWED,
        "reviewed_by": earlier.reviewed_by,
        "reviewed_at": now,
        "review_action": ReviewAction.KNOWN_STABLE,
        "review_note": note,
        "stable_until": earlier.stable_until,
    }


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
