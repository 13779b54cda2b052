"""Login throttling with django-axes: per username and address, plus a ceiling per account (issue 8)."""

import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessFailureLog
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

LOCKED_OUT = (
    "Too many failed sign-in attempts. Signing in to this account from here is paused for 15 minutes. "
    "If you need to sign in sooner, ask a clinic admin to clear the lockout."
)


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second, wider limit.

    Axes counts failures per username and address (5 lock that pair for 15 minutes). An attacker who spreads a
    guess over many addresses is stopped by the ceiling: once an account has had AXES_ACCOUNT_FAILURES_PER_HOUR
    failures in the last hour, from anywhere, it is locked until the count falls below it again.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        username = get_client_username(request, credentials)
        if username and account_failures_last_hour(username) >= settings.AXES_ACCOUNT_FAILURES_PER_HOUR:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def account_failures_last_hour(username: str) -> int:
    since = timezone.now() - datetime.timedelta(hours=1)
    return AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count()


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page with a plain message; the same whether or not the account exists."""
    from checklists.forms.account import SignInForm

    form = SignInForm(request)
    return render(request, "registration/login.html", {"form": form, "locked_out": LOCKED_OUT}, status=429)
