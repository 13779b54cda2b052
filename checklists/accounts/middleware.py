"""The client's address behind a trusted proxy, session limits, and the second factor (issue 8)."""

import contextlib
import ipaddress
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django_otp import user_has_device

from checklists.unsaved import SIGNED_OUT, remember_who_was_signed_out, stash

from .policy import needs_second_factor

SIGNED_IN_AT = "bonemets_signed_in_at"
LAST_SEEN = "bonemets_last_seen"
# "Last seen" is written at most once a minute (a tenth of the idle limit if that is shorter), so a busy page does
# not save its session on every request.
LAST_SEEN_REFRESH_SECONDS = 60

SIGNED_OUT_IDLE = "You were signed out after {minutes} minutes without activity. Sign in again to go on."
SIGNED_OUT_MAX = "You were signed out after {hours} hours signed in. Sign in again to go on."


class ClientAddressMiddleware:
    """Behind TRUSTED_PROXY_COUNT reverse proxies, take the client's address from X-Forwarded-For.

    Each proxy appends the address it saw, so the one the nearest trusted proxy saw is counted from the right;
    anything further left was written by the client and is not believed. Without trusted proxies the header is
    ignored: django-axes, the session list and the event log then all use the connection's address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = settings.TRUSTED_PROXY_COUNT
        if count:
            forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            if len(forwarded) >= count:
                # A malformed address leaves the proxy's own.
                with contextlib.suppress(ValueError):
                    request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(forwarded[-count]))
        return self.get_response(request)


def seconds_left(session, now: int | None = None) -> int:
    """Seconds until the session ends for inactivity (or at its absolute limit, if sooner)."""
    now = int(time.time()) if now is None else now
    idle_end = session.get(LAST_SEEN, now) + settings.SESSION_IDLE_SECONDS
    max_end = session.get(SIGNED_IN_AT, now) + settings.SESSION_MAX_SECONDS
    return max(0, min(idle_end, max_end) - now)


def mark_active(session, now: int | None = None) -> None:
    session[LAST_SEEN] = int(time.time()) if now is None else now


class SessionTimeoutMiddleware(MiddlewareMixin):
    """Sign out a session idle for SESSION_IDLE_SECONDS, or signed in for more than SESSION_MAX_SECONDS.

    The times live in the session itself, so the rule holds whichever server answers. Sign-out happens before
    the view runs; LoginRequiredMiddleware then sends the user to the sign-in page, which says why.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        session, now = request.session, int(time.time())
        session.setdefault(SIGNED_IN_AT, now)
        session.setdefault(LAST_SEEN, now)
        if now - session[LAST_SEEN] > settings.SESSION_IDLE_SECONDS:
            reason = SIGNED_OUT_IDLE.format(minutes=settings.SESSION_IDLE_SECONDS // 60)
        elif now - session[SIGNED_IN_AT] > settings.SESSION_MAX_SECONDS:
            reason = SIGNED_OUT_MAX.format(hours=settings.SESSION_MAX_SECONDS // 3600)
        else:
            refresh_every = min(LAST_SEEN_REFRESH_SECONDS, settings.SESSION_IDLE_SECONDS // 10)
            if getattr(view_func, "counts_as_activity", True) and now - session[LAST_SEEN] >= refresh_every:
                mark_active(session, now)
            return None
        user_id = request.user.pk
        logout(request)
        remember_who_was_signed_out(request.session, user_id)
        messages.info(request, reason)
        return None


class SecondFactorMiddleware(MiddlewareMixin):
    """Send a signed-in user who needs a second factor to enter it (or to set one up) before anything else."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        exempt = getattr(view_func, "second_factor_not_required", False) or not getattr(
            view_func, "login_required", True
        )
        if exempt or not user.is_authenticated or user.is_verified() or not needs_second_factor(user):
            return None
        step = "checklists:two-factor" if user_has_device(user) else "checklists:two-factor-setup"
        return redirect_to_login(request.get_full_path(), reverse(step))


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's deny-by-default login, gentle with typed work (issue 11): a fetch from a page whose session
    ended gets 401 in words (the page keeps its form and says so); a form sent signed out is kept for the
    person to find again after signing in (checklists/unsaved.py)."""

    def handle_no_permission(self, request, view_func):
        if getattr(view_func, "answers_fetch", False):
            return HttpResponse(SIGNED_OUT, status=401, content_type="text/plain; charset=utf-8")
        if request.method == "POST" and getattr(view_func, "keeps_typed_work", False):
            stash(request)
        return super().handle_no_permission(request, view_func)
