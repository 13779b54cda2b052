"""Re-evaluate a past visit with today's rules, on purpose: show what would change, then record who did it.

Nothing re-evaluates a visit by itself: a visit keeps the flags, reasons and sources it was saved with.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from checklists import evaluation as visit_evaluation
from checklists import selectors
from checklists.history import recorded_as
from checklists.models import Visit
from checklists.models.choices import FlagStatus

from .flags import needing_a_decision
from .roles import check_re_evaluation
from .visits import VISIT_VOIDED, VisitChanged, VisitVoided, apply_evaluation, evaluate, store_outcome

RE_EVALUATED = "Re-evaluated with the current rules, after looking at the differences."


@dataclass(frozen=True)
class FlagChange:
    code: str
    title: str
    before: str  # tier, or "" when it did not fire
    after: str


@dataclass(frozen=True)
class ReEvaluation:
    rules_before: str
    rules_after: str
    tier_before: str
    tier_after: str
    changes: tuple[FlagChange, ...]
    # Open urgent or emergency flags it would withdraw or lower: applying it needs a reason (services/flags.py).
    decisions: tuple[FlagChange, ...] = ()

    @property
    def decision_codes(self) -> str:
        return " ".join(change.code for change in self.decisions)

    @property
    def changed(self) -> bool:
        return bool(self.changes) or self.tier_before != self.tier_after


def _as_recorded(visit: Visit):
    """The visit's entry and stored results, read as an edit reads them: each result keeps its recorded range."""
    return selectors.visit_entry(visit, recorded_ranges=False), list(visit.lab_results.all())


def compare(visit: Visit) -> ReEvaluation:
    """What today's rules make of the visit, against what it shows now."""
    items = list(visit.checklist_version.items.select_related("flag_source"))
    entry, recorded = _as_recorded(visit)
    evaluation = visit_evaluation.evaluate_entry(visit.patient, entry, items, recorded)
    now = {flag.code: flag for flag in visit.flags.exclude(status=FlagStatus.WITHDRAWN)}
    then = {flag.code: flag for flag in evaluation.flags}
    decided = {flag.code for flag, _tier in needing_a_decision(now, then)}
    changes = []
    for code in sorted(set(now) | set(then)):
        before = now[code].tier if code in now else ""
        after = then[code].tier.value if code in then else ""
        if before != after:
            title = then[code].title if code in then else now[code].title
            changes.append(FlagChange(code, title, before, after))
    return ReEvaluation(
        visit.rules_version,
        evaluation.rules_version,
        visit.tier,
        evaluation.visit_tier.value,
        tuple(changes),
        tuple(change for change in changes if change.code in decided),
    )


@transaction.atomic
def re_evaluate_visit(*, visit: Visit, by, lock_version: int, reason: str = "", withdraw=frozenset()) -> Visit:
    """Evaluate the visit again with today's rules and record who did it (reviews of unchanged flags stay).

    Withdrawing or lowering an open urgent or emergency flag needs the person's reason and each flag in
    `withdraw`, as for an edit (services/flags.py)."""
    current = Visit.objects.select_for_update().select_related("clinic").get(pk=visit.pk)
    check_re_evaluation(by, current)
    if current.lock_version != lock_version:
        raise VisitChanged("The visit changed since you looked at the differences; look at them again.")
    if current.is_voided:
        raise VisitVoided(VISIT_VOIDED)
    evaluation = evaluate(current, *_as_recorded(current))
    why = reason.strip() or RE_EVALUATED
    with recorded_as(by, why):
        store_outcome(current, evaluation, by=by, reason=reason, withdraw=withdraw, default_reason=RE_EVALUATED)
        apply_evaluation(current, evaluation)
        current.re_evaluated_at, current.re_evaluated_by = timezone.now(), by
        current.lock_version += 1
        current.save()
    return current
