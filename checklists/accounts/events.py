"""Sign-ins, sign-outs, failures and lockouts go to the security event log.

Django and django-axes announce these with signals, the one way to hear of every sign-in whichever page or
backend handled it; the receivers only record, they change nothing.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from checklists.models import SecurityAction, User
from checklists.services.security_events import record


def _account(username):
    """The account a username names, if any (a failed sign-in is recorded against it; never the name itself)."""
    return User.objects.filter(username=username).first() if username else None


@receiver(user_logged_in, dispatch_uid="bonemets_sign_in")
def signed_in(sender, request, user, **kwargs):
    if request is not None:
        record(request, SecurityAction.SIGN_IN, user=user)


@receiver(user_logged_out, dispatch_uid="bonemets_sign_out")
def signed_out(sender, request, user, **kwargs):
    if request is not None and user is not None:
        record(request, SecurityAction.SIGN_OUT, user=user)


@receiver(user_login_failed, dispatch_uid="bonemets_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    if request is not None:
        record(request, SecurityAction.SIGN_IN_FAILED, user=_account(credentials.get("username")))


@receiver(user_locked_out, dispatch_uid="bonemets_locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    record(request, SecurityAction.LOCKED_OUT, user=_account(username))
