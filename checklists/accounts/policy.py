"""Who must use a second factor, and which views a half-signed-in user may still open."""

from django.db.models import Q

from checklists.models import CLINIC_ADMIN, User


def needs_second_factor(user) -> bool:
    """Clinic admins and superusers always; staff who turned it on, or whose clinic requires it."""
    if user.is_superuser or user.is_staff:
        return True  # is_staff opens the admin, which is only for clinic admins and superusers
    return (
        User.objects.filter(pk=user.pk)
        .filter(
            Q(groups__name=CLINIC_ADMIN)
            | Q(memberships__clinic__require_two_factor=True)
            | Q(totpdevice__confirmed=True)
        )
        .exists()
    )


def second_factor_not_required(view):
    """Let a signed-in user who has not yet entered their second factor open this view (sign-out, enrolment…)."""
    view.second_factor_not_required = True
    return view


def not_activity(view):
    """Requests to this view do not keep the session alive (the page asking how long it has left)."""
    view.counts_as_activity = False
    return view
