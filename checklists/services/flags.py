"""The flags of a visit after an evaluation: raised, kept, reopened, carried over or withdrawn (issue 10).

No edit ever closes a flag without a decision. A flag that stops firing is withdrawn, with who, when and why,
and stays on the record; withdrawing an open urgent or emergency flag needs the reason of the person editing.
A "known and stable until" review carries over only to a prompt-review or routine flag that is no worse, and the
carried flag names the review it relies on instead of pretending someone reviewed it again.
"""

from django.utils import timezone

from checklists.models import Flag, Source
from checklists.models.choices import FlagStatus
from checklists.rules.tiers import CARRY_OVER, SERIOUS, Tier

WITHDRAWAL_NEEDS_REASON = "These flags will be withdrawn: {flags} \u2014 why? Give the reason for the change."
WITHDRAWAL_REASON_NEEDED = "Say why these flags are withdrawn; the reason is kept with each of them."
DEFAULT_WITHDRAWAL = "No longer raised after the visit was edited."
REVIEW_FIELDS = ("reviewed_by", "reviewed_at", "review_action", "review_note", "stable_until")


class WithdrawalNeedsReason(Exception):
    """The edit would withdraw open urgent or emergency flags, and nobody has said why."""

    def __init__(self, flags):
        names = "; ".join(f"{flag.title} ({Tier(flag.tier).label.lower()})" for flag in flags)
        super().__init__(WITHDRAWAL_NEEDS_REASON.format(flags=names))
        self.flags = flags


def no_worse(raised, earlier: Flag) -> bool:
    """Whether a finding is no worse than a flag raised before: by tier, by grade or score, by its symptoms."""
    if raised.tier.rank > Tier(earlier.tier).rank:
        return False
    if raised.grade is not None and (earlier.grade is None or raised.grade > earlier.grade):
        return False
    return set(raised.triggered_by) <= set(earlier.triggered_by)


def carry_over_source(visit, raised) -> Flag | None:
    """The reviewed flag whose "known and stable until" covers this finding at this visit, if any."""
    if raised.tier not in CARRY_OVER:
        return None  # urgent and emergency flags are reviewed afresh every time
    earlier = (
        Flag.objects.filter(
            visit__patient_id=visit.patient_id,
            visit__voided_at__isnull=True,
            visit__visit_date__lte=visit.visit_date,
            code=raised.code,
            status=FlagStatus.REVIEWED,
            stable_until__gte=visit.visit_date,
        )
        .exclude(visit_id=visit.pk)
        .select_related("reviewed_by", "visit")
        .order_by("-reviewed_at")
        .first()
    )
    return earlier if earlier is not None and no_worse(raised, earlier) else None


def store_flags(visit, evaluation, *, by, reason: str = "") -> None:
    """Bring the visit's flags in line with the evaluation; raise WithdrawalNeedsReason before writing anything
    when open urgent or emergency flags would be withdrawn without a reason."""
    now = timezone.now()
    raised = {flag.code: flag for flag in evaluation.flags}
    existing = {flag.code: flag for flag in visit.flags.all()} if visit.pk else {}
    leaving = [flag for code, flag in existing.items() if code not in raised and flag.status != FlagStatus.WITHDRAWN]
    serious = [flag for flag in leaving if flag.status == FlagStatus.OPEN and Tier(flag.tier) in SERIOUS]
    if serious and not reason.strip():
        raise WithdrawalNeedsReason(serious)
    citations = {source.key: source.citation() for source in Source.objects.all()}
    for code, finding in raised.items():
        values = {
            "tier": finding.tier.value,
            "title": finding.title,
            "reason": finding.reason,
            "sources": [citations.get(key, {"key": key}) for key in finding.sources],
            "rules_version": evaluation.rules_version,
            "grade": finding.grade,
            "triggered_by": sorted(finding.triggered_by),
        }
        flag = existing.get(code)
        if flag is None:
            _raise(visit, code, values, finding, now)
        else:
            _keep(flag, values, finding, now)
    for flag in leaving:
        flag.status, flag.withdrawn_at, flag.withdrawn_by = FlagStatus.WITHDRAWN, now, by
        flag.withdrawn_reason = reason.strip() or DEFAULT_WITHDRAWAL
        flag.save()


def _raise(visit, code: str, values: dict, finding, now) -> None:
    source = carry_over_source(visit, finding)
    status = FlagStatus.CARRIED_OVER if source else FlagStatus.OPEN
    Flag.objects.create(visit=visit, code=code, raised_at=now, status=status, carried_over_from=source, **values)


def _keep(flag: Flag, values: dict, finding, now) -> None:
    """A flag that still fires keeps its identity; it opens again when it worsened or stops being covered."""
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
    if reopen:
        flag.status, flag.raised_at, flag.carried_over_from = FlagStatus.OPEN, now, None
        flag.withdrawn_at, flag.withdrawn_by, flag.withdrawn_reason = None, None, ""
        for name in REVIEW_FIELDS:
            setattr(flag, name, None if name in ("reviewed_by", "reviewed_at", "stable_until") else "")
    if changed:
        for name, value in values.items():
            setattr(flag, name, value)
        flag.save()
