"""Your account: password, sessions, and the session clock the pages keep an eye on (issue 8)."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import user_has_device
from user_sessions.models import Session

from checklists.accounts.middleware import mark_active, seconds_left
from checklists.accounts.policy import needs_second_factor, not_activity, second_factor_not_required
from checklists.models import SecurityAction
from checklists.services import people, security_events, two_factor

PASSWORD_CHANGED = "Your password was changed. Your other sessions were signed out."  # noqa: S105 - a message
SESSION_ENDED = "That session was ended."
OTHER_SESSIONS_ENDED = "{count} other session(s) ended."


def session_ref(session_key: str) -> str:
    """A session's name in pages and forms: never its key, which would let anyone reading it take it over."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:16]


@require_GET
def account(request):
    user = request.user
    context = {
        "memberships": user.memberships.select_related("clinic").order_by("clinic__name"),
        "roles": ", ".join(group.name for group in user.groups.all()),
        "has_second_factor": user_has_device(user),
        "second_factor_required": needs_second_factor(user),
        "backup_codes_left": two_factor.backup_codes_left(user),
        "session_count": Session.objects.filter(user=user, expire_date__gt=timezone.now()).count(),
    }
    return render(request, "checklists/account_detail.html", context)


@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        people.set_password(user=request.user, password=form.cleaned_data["new_password1"])
        # The new password changes the session hash: keep this session, end the others.
        update_session_auth_hash(request, request.user)
        people.end_sessions(request.user, keep_session_key=request.session.session_key)
        security_events.record(request, SecurityAction.PASSWORD_CHANGED)
        messages.success(request, PASSWORD_CHANGED)
        return redirect("checklists:account")
    return render(request, "checklists/account_password.html", {"form": form})


@require_GET
def sessions(request):
    current = request.session.session_key
    rows = [
        {"ref": session_ref(s.session_key), "session": s, "current": s.session_key == current}
        for s in Session.objects.filter(user=request.user, expire_date__gt=timezone.now()).order_by("-last_activity")
    ]
    return render(request, "checklists/account_sessions.html", {"rows": rows})


@require_POST
def session_end(request):
    """End one of your own sessions, named by its reference; ending this one signs you out."""
    wanted = request.POST.get("session", "")
    for session in Session.objects.filter(user=request.user):
        if session_ref(session.session_key) == wanted:
            if session.session_key == request.session.session_key:
                logout(request)
                return redirect(settings.LOGOUT_REDIRECT_URL)
            session.delete()
            messages.success(request, SESSION_ENDED)
            break
    return redirect("checklists:sessions")


@require_POST
def sessions_end_others(request):
    ended = people.end_sessions(request.user, keep_session_key=request.session.session_key)
    messages.success(request, OTHER_SESSIONS_ENDED.format(count=ended))
    return redirect("checklists:sessions")


@require_GET
@login_not_required
@not_activity
def session_status(request):
    """How long this session has left, for the warning before the idle sign-out. Does not keep it alive."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    return JsonResponse({"signed_in": True, "seconds_left": seconds_left(request.session)})


@require_POST
@second_factor_not_required
def keep_alive(request):
    """ "Stay signed in": the session's idle clock starts again."""
    mark_active(request.session)
    return JsonResponse({"signed_in": True, "seconds_left": seconds_left(request.session)})
