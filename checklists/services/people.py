"""Clinic admins manage their own clinic's staff accounts; a deactivated account's sessions end at once."""

from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from checklists.models import CLINIC_ADMIN, CLINIC_STAFF, Membership


def end_sessions(user) -> int:
    """Delete every live session of the user; return how many were ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def save_staff_account(*, user, clinic, role: str, password: str = ""):
    """Save a staff account with its clinic and role; deactivating it ends its sessions."""
    if password:
        user.set_password(password)
    # Clinic admins use the admin site; staff never need it.
    user.is_staff = user.is_superuser or role == CLINIC_ADMIN
    user.save()
    user.groups.remove(*Group.objects.filter(name__in=[CLINIC_STAFF, CLINIC_ADMIN]))
    user.groups.add(Group.objects.get(name=role))
    if clinic is not None:
        Membership.objects.get_or_create(user=user, clinic=clinic)
    if not user.is_active:
        end_sessions(user)
    return user
