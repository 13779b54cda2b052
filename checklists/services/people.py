"""Staff accounts: passwords, roles, clinic membership and sessions. Clinic admins act on their own clinic's staff."""

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from user_sessions.models import Session

from checklists.models import CLINIC_ADMIN, CLINIC_STAFF, Membership, Role


def set_password(*, user, password: str) -> None:
    """Set a password after the validators accept it, whoever asks (the admin, the account page, a command)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


def end_sessions(user, *, keep_session_key: str | None = None) -> int:
    """End every session of the user (but the one kept); return how many were ended.

    Sessions carry their user (django-user-sessions), so this is one indexed delete, not a scan of every session.
    """
    sessions = Session.objects.filter(user=user)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    ended, _by_model = sessions.delete()
    return ended


@transaction.atomic
def save_staff_account(*, user, clinic, role: str, password: str = "", clinics=()):
    """Save a staff account with its role in a clinic (added as a member if new) or, without a clinic, in each
    of `clinics` it is a member of; deactivating it ends its sessions. Someone who is clinic admin anywhere
    uses the admin site (the "Clinic admin" group); what they may do in each clinic is the membership's role."""
    if password:
        validate_password(password, user)
        user.set_password(password)
    user.save()
    if clinic is not None:
        membership, _new = Membership.objects.get_or_create(user=user, clinic=clinic, defaults={"role": role})
        memberships = [membership]
    else:
        memberships = list(Membership.objects.filter(user=user, clinic__in=clinics))
    for membership in memberships:
        if membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])  # kept in the membership's history
    administers = Membership.objects.filter(user=user, role=Role.CLINIC_ADMIN).exists()
    user.is_staff = user.is_superuser or administers
    user.save(update_fields=["is_staff"])
    user.groups.remove(*Group.objects.filter(name__in=[CLINIC_STAFF, CLINIC_ADMIN]))
    user.groups.add(Group.objects.get(name=CLINIC_ADMIN if administers else CLINIC_STAFF))
    if not user.is_active:
        end_sessions(user)
    return user


@transaction.atomic
def remove_from_clinics(*, user, clinics) -> int:
    """Take the person out of these clinics; return how many memberships ended.

    Their next request can no longer reach these clinics' records (every page is scoped per request). Someone
    left in no clinic at all is signed out everywhere; someone still in another clinic keeps working there.
    Each membership is deleted on its own so that its history row records who removed it.
    """
    memberships = list(Membership.objects.filter(user=user, clinic__in=clinics))
    for membership in memberships:
        membership.delete()
    # Asked of the table, not `user.memberships`: a caller may hold the person with memberships prefetched.
    if not Membership.objects.filter(user=user).exists():
        end_sessions(user)
    return len(memberships)
