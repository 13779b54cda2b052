"""Who may do what in a clinic (issue 12): the one place the services ask. A view, the admin, a command or an
import calls the same service, so the rule holds whoever asks."""

from checklists.models import ROLE_RANK, Membership, Role
from checklists.rules.tiers import SERIOUS, Tier

NOT_A_MEMBER = "You are not a member of this clinic."
SIGN_OFF_NEEDS_CLINICIAN = (
    "Only a clinician may sign off {tier} flags. Ask {clinicians} to review this one; it stays on the worklist."
)
NO_CLINICIAN = "a clinician of the clinic (none is listed: ask the clinic admin)"
RE_EVALUATION_NEEDS_CLINICIAN = "Only a clinician may apply a re-evaluation with today's rules."
CHECKLIST_NEEDS_CLINIC_ADMIN = "Only a clinic admin of {clinic} may change its checklist."


class NotPermitted(Exception):
    """The person's role in the clinic does not allow this."""


def role_in(user, clinic) -> Role | None:
    """The person's role in the clinic, or None when they are not a member."""
    found = Membership.objects.filter(user=user, clinic=clinic).values_list("role", flat=True).first()
    return Role(found) if found else None


def at_least(user, clinic, role: Role) -> bool:
    held = role_in(user, clinic)
    return held is not None and ROLE_RANK[held] >= ROLE_RANK[role]


def clinicians_of(clinic) -> list[str]:
    """Who may sign off an urgent or emergency flag in the clinic, by name."""
    members = (
        Membership.objects.filter(clinic=clinic, role__in=[Role.CLINICIAN, Role.CLINIC_ADMIN], user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    return [member.user.get_full_name() or member.user.username for member in members]


def review_refusal(user, flag) -> str:
    """Why the person may not review this flag ("" when they may)."""
    clinic = flag.visit.clinic
    if role_in(user, clinic) is None:
        return NOT_A_MEMBER
    if Tier(flag.tier) in SERIOUS and not at_least(user, clinic, Role.CLINICIAN):
        names = clinicians_of(clinic)
        return SIGN_OFF_NEEDS_CLINICIAN.format(
            tier=Tier(flag.tier).label.lower(), clinicians=", ".join(names) if names else NO_CLINICIAN
        )
    return ""


def review_refusals(user, clinic):
    """review_refusal for many flags of one clinic, asking the person's role once (and, for a nurse, who may sign
    off once): a page listing a visit's flags runs the same queries however many it lists."""
    held = role_in(user, clinic)
    names = []

    def refusal(flag) -> str:
        if held is None:
            return NOT_A_MEMBER
        if Tier(flag.tier) in SERIOUS and ROLE_RANK[held] < ROLE_RANK[Role.CLINICIAN]:
            if not names:
                names.append(", ".join(clinicians_of(clinic)) or NO_CLINICIAN)
            return SIGN_OFF_NEEDS_CLINICIAN.format(tier=Tier(flag.tier).label.lower(), clinicians=names[0])
        return ""

    return refusal


def check_review(user, flag) -> None:
    refusal = review_refusal(user, flag)
    if refusal:
        raise NotPermitted(refusal)


def re_evaluation_refusal(user, visit) -> str:
    """Why the person may not apply a re-evaluation of this visit ("" when they may)."""
    if role_in(user, visit.clinic) is None:
        return NOT_A_MEMBER
    if not at_least(user, visit.clinic, Role.CLINICIAN):
        return RE_EVALUATION_NEEDS_CLINICIAN
    return ""


def check_re_evaluation(user, visit) -> None:
    refusal = re_evaluation_refusal(user, visit)
    if refusal:
        raise NotPermitted(refusal)


def checklist_refusal(user, clinic) -> str:
    """Why the person may not draft or publish this clinic's checklist ("" when they may). Superusers run the
    site and may; otherwise only the clinic's own admins."""
    if user is not None and user.is_superuser:
        return ""
    if user is None or not at_least(user, clinic, Role.CLINIC_ADMIN):
        return CHECKLIST_NEEDS_CLINIC_ADMIN.format(clinic=clinic)
    return ""


def check_checklist(user, clinic) -> None:
    refusal = checklist_refusal(user, clinic)
    if refusal:
        raise NotPermitted(refusal)
