"""The flags of a visit after an evaluation: raised, kept, reopened, carried over or withdrawn (issue 10).

No edit ever closes a flag without a decision. A flag that stops firing is withdrawn, with who, when and why,
and stays on the record. Withdrawing an open urgent or emergency flag, or lowering its tier, needs the person
editing to have been shown that flag (its code among `withdraw`) and to give a reason: a reason typed for some
other change is not a decision about it.
A "known and stable until" review carries over only to a prompt-review or routine flag that is no worse, and the
carried flag names the review it relies on instead of pretending someone reviewed it again. When that review
stops being one (its flag opens again, is withdrawn, or its visit is voided), the flags it covered open.
"""

from django.utils import timezone

from checklists.models import Flag, Source
from checklists.models.choices import FlagStatus
from checklists.rules.tiers import CARRY_OVER, SERIOUS, Tier

from . import notifications

WITHDRAWAL_NEEDS_REASON = "These flags will be withdrawn: {flags} \u2014 why? Give the reason for the change."
LOWERING_NEEDS_REASON = "These flags will be withdrawn or lowered: {flags} \u2014 why? Give the reason for the change."
WITHDRAWAL_REASON_NEEDED = "Say why these flags are withdrawn; the reason is kept with each of them."
DEFAULT_WITHDRAWAL = "No longer raised after the visit was edited."
REVIEW_FIELDS = ("reviewed_by", "reviewed_at", "review_action", "review_note", "stable_until")


class WithdrawalNeedsReason(Exception):
    """The edit would withdraw (or lower) open urgent or emergency flags, and nobody has decided so.

    `changes` are (flag, the tier it would be lowered to, or None when it would be withdrawn)."""

    def __init__(self, changes):
        names = "; ".join(_in_words(flag, lowered_to) for flag, lowered_to in changes)
        lowering = any(lowered_to is not None for _flag, lowered_to in changes)
        super().__init__((LOWERING_NEEDS_REASON if lowering else WITHDRAWAL_NEEDS_REASON).format(flags=names))
        self.changes = changes

    @property
    def flags(self):
        return [flag for flag, _lowered_to in self.changes]

    @property
    def codes(self) -> list[str]:
        return [flag.code for flag in self.flags]


def _in_words(flag: Flag, lowered_to) -> str:
    tier = Tier(flag.tier).label.lower()
    return (
        f"{flag.title} ({tier})"
        if lowered_to is None
        else f"{flag.title} ({tier}, lowered to {lowered_to.label.lower()})"
    )


def needing_a_decision(existing: dict, raised: dict) -> list:
    """Open urgent or emergency flags the evaluation would withdraw or lower: (flag, lowered-to tier or None)."""
    changes = []
    for code, flag in existing.items():
        if flag.status != FlagStatus.OPEN or Tier(flag.tier) not in SERIOUS:
            continue
        if code not in raised:
            changes.append((flag, None))
        elif raised[code].tier.rank < Tier(flag.tier).rank:
            changes.append((flag, raised[code].tier))
    return changes


def release_carried_over(sources, now) -> None:
    """The reviews of these flags no longer cover anything: flags carried over from them open for review."""
    for flag in Flag.objects.filter(carried_over_from__in=sources, status=FlagStatus.CARRIED_OVER):
        flag.status, flag.carried_over_from, flag.raised_at = FlagStatus.OPEN, None, now
        flag.save()


def no_worse(raised, earlier: Flag) -> bool:
    """Whether a finding is no worse than a flag raised before: by tier, by grade or score, by its symptoms."""
    if raised.tier.rank > Tier(earlier.tier).rank:
        return False
    if raised.grade is not None and (earlier.grade is None or raised.grade > earlier.grade):
        return False
    return set(raised.triggered_by) <= set(earlier.triggered_by)


def reviewed_flags(patient_ids, codes=None) -> dict[int, list[Flag]]:
    """The reviewed flags with a "known and stable until" date of these patients (of these codes), by patient:
    the reviews a new flag may be carried over from (one query)."""
    flags = Flag.objects.filter(
        visit__patient_id__in=patient_ids, status=FlagStatus.REVIEWED, stable_until__isnull=False
    ).select_related("reviewed_by", "visit")
    if codes is not None:
        flags = flags.filter(code__in=codes)
    by_patient = {}
    for flag in flags:
        by_patient.setdefault(flag.visit.patient_id, []).append(flag)
    return by_patient


def carry_over_from(reviewed, visit, raised) -> Flag | None:
    """Of these reviewed flags of the patient, the one whose "known and stable until" covers this finding at this
    visit, if any: the latest review of the same code at a visit not after this one (not voided), stable until
    this visit or later, and the finding no worse than it."""
    if raised.tier not in CARRY_OVER:
        return None  # urgent and emergency flags are reviewed afresh every time
    covering = [
        flag
        for flag in reviewed
        if flag.code == raised.code
        and flag.visit_id != visit.pk
        and flag.visit.voided_at is None
        and flag.visit.visit_date <= visit.visit_date
        and flag.stable_until >= visit.visit_date
    ]
    earlier = max(covering, key=lambda flag: (flag.reviewed_at, flag.pk), default=None)
    return earlier if earlier is not None and no_worse(raised, earlier) else None


def carry_over_source(visit, raised) -> Flag | None:
    """The reviewed flag whose "known and stable until" covers this finding at this visit, if any."""
    if raised.tier not in CARRY_OVER:
        return None
    reviewed = reviewed_flags([visit.patient_id], codes=[raised.code]).get(visit.patient_id, [])
    return carry_over_from(reviewed, visit, raised)


def flag_values(finding, evaluation, citations: dict) -> dict:
    """What a flag keeps of the finding that raised it: tier, words, sources as cited now, grade, triggers."""
    return {
        "tier": finding.tier.value,
        "title": finding.title,
        "reason": finding.reason,
        "sources": [citations.get(key, {"key": key}) for key in finding.sources],
        "rules_version": evaluation.rules_version,
        "grade": finding.grade,
        "triggered_by": sorted(finding.triggered_by),
    }


def store_flags(
    visit, evaluation, *, by, reason: str = "", withdraw=frozenset(), default_reason: str = DEFAULT_WITHDRAWAL
) -> None:
    """Bring the visit's flags in line with the evaluation. Before writing anything, raise WithdrawalNeedsReason
    when open urgent or emergency flags would be withdrawn or lowered and the person has not decided so: each
    one's code in `withdraw` (the flags they were shown), and a reason. Other flags that stop firing are
    withdrawn with the reason given, else `default_reason`."""
    now = timezone.now()
    raised = {flag.code: flag for flag in evaluation.flags}
    # Locked: a review or an escalation committed meanwhile is read, not overwritten (issue 15 review).
    existing = {flag.code: flag for flag in visit.flags.select_for_update()} if visit.pk else {}
    leaving = [flag for code, flag in existing.items() if code not in raised and flag.status != FlagStatus.WITHDRAWN]
    decisions = needing_a_decision(existing, raised)
    if decisions and (not reason.strip() or any(flag.code not in withdraw for flag, _tier in decisions)):
        raise WithdrawalNeedsReason(decisions)
    was_reviewed = {flag.pk for flag in existing.values() if flag.status == FlagStatus.REVIEWED}
    citations = {source.key: source.citation() for source in Source.objects.all()}
    opened = []  # new, reopened, or raised to a higher tier: the on-call team may need telling (issue 15)
    for code, finding in raised.items():
        values = flag_values(finding, evaluation, citations)
        flag = existing.get(code)
        if flag is None:
            opened.append(_raise(visit, code, values, finding, now))
        elif _keep(flag, values, finding, now):
            opened.append(flag)
    for flag in leaving:
        flag.status, flag.withdrawn_at, flag.withdrawn_by = FlagStatus.WITHDRAWN, now, by
        flag.withdrawn_reason = reason.strip() or default_reason
        flag.save()
    # A review that is no longer one (reopened or withdrawn) covers nothing at later visits.
    release_carried_over(
        [flag.pk for flag in existing.values() if flag.pk in was_reviewed and flag.status != FlagStatus.REVIEWED], now
    )
    notifications.flags_raised(opened, visit.clinic)


def _raise(visit, code: str, values: dict, finding, now) -> Flag:
    source = carry_over_source(visit, finding)
    status = FlagStatus.CARRIED_OVER if source else FlagStatus.OPEN
    return Flag.objects.create(visit=visit, code=code, raised_at=now, status=status, carried_over_from=source, **values)


def _keep(flag: Flag, values: dict, finding, now) -> bool:
    """A flag that still fires keeps its identity; it opens again when it worsened or stops being covered.
    Returns whether it is open now with news for on-call: opened again, or an open flag raised to a higher tier."""
    rose = flag.status == FlagStatus.OPEN and Tier(values["tier"]).rank > Tier(flag.tier).rank
    reopen = flag.status == FlagStatus.WITHDRAWN
    if flag.status == FlagStatus.REVIEWED and not no_worse(finding, flag):
        reopen = True  # worse than when it was reviewed: by tier, grade or a new symptom
    changed = reopen
    if flag.status == FlagStatus.CARRIED_OVER:
        source = carry_over_source(flag.visit, finding)
        reopen = changed = source is None or changed
        if source is not None and source.pk != flag.carried_over_from_id:
            flag.carried_over_from, changed = source, True
    changed = changed or any(getattr(flag, name) != value for name, value in values.items())
    if reopen or rose:
        # Its clock starts again: the time frame (and escalation) is the new tier's, from now.
        flag.raised_at, flag.escalated_at, changed = now, None, True
    if reopen:
        flag.status, flag.carried_over_from = FlagStatus.OPEN, None
        flag.withdrawn_at, flag.withdrawn_by, flag.withdrawn_reason = None, None, ""
        for name in REVIEW_FIELDS:
            setattr(flag, name, None if name in ("reviewed_by", "reviewed_at", "stable_until") else "")
    if changed:
        for name, value in values.items():
            setattr(flag, name, value)
        flag.save()
    return reopen or rose
