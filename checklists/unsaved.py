"""Typed work outlives an ended session (issue 11).

A visit or patient form sent after the session ended (idle or absolute limit) is kept in the new, anonymous
session (server-side: the session store, never the browser), the person signs in, and the same form comes back
with everything they typed, unsaved. It comes back only to the person who was signed out, in the same browser,
within a few hours: on a shared workstation nobody else sees it. A fetch from a page whose session ended (the
live flag panel, the autosave) is answered 401 in words, never with the sign-in page.
"""

import time

from django.core import signing
from django.http import QueryDict
from django.utils.html import format_html

UNSAVED = "bonemets_unsaved"
SIGNED_OUT_USER = "bonemets_signed_out_user"
KEEP_SECONDS = 4 * 60 * 60
# The form says, signed, who was typing it: a session that is gone altogether (its cookie expired, or the store
# was cleared) no longer knows who was signed out, and the form must still come back to that person only.
TYPED_BY = "typed_by"
TYPED_BY_SALT = "bonemets.unsaved.typed-by"
NOT_STASHED = {"csrfmiddlewaretoken", TYPED_BY}

SIGNED_OUT = "You have been signed out. Your answers are still here \u2014 sign in again to save them."
RESTORED = (
    "You were signed out before this was saved. Nothing was saved yet: everything you typed is back below. "
    "Check it and save."
)


def keeps_typed_work(view):
    """Mark a form view: a POST that arrives signed out keeps what was typed for after signing in."""
    view.keeps_typed_work = True
    return view


def answers_fetch(view):
    """Mark a view the page's JavaScript fetches: signed out, it answers 401 with words, not the sign-in page."""
    view.answers_fetch = True
    return view


def remember_who_was_signed_out(session, user_id) -> None:
    """Called when a session ends for time: the form that arrives next is theirs, and only theirs."""
    session[SIGNED_OUT_USER] = user_id


def typed_by_field(user):
    """The hidden field a form that keeps typed work carries: who is typing, signed by the server."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', TYPED_BY, signing.dumps(user.pk, salt=TYPED_BY_SALT)
    )


def _typist(request):
    """Who typed the posted form: the session's signed-out person, else the form's signed field, else nobody."""
    if request.session.get(SIGNED_OUT_USER) is not None:
        return request.session[SIGNED_OUT_USER]
    try:
        return signing.loads(request.POST.get(TYPED_BY, ""), salt=TYPED_BY_SALT, max_age=KEEP_SECONDS * 3)
    except signing.BadSignature:
        return None


def stash(request) -> None:
    """Keep the posted form for the person who was signed out (if the session or the form says who that was),
    one per page: two tabs sent as the session ended both come back."""
    data = {key: request.POST.getlist(key) for key in request.POST if key not in NOT_STASHED}
    kept = dict(request.session.get(UNSAVED) or {})
    kept[request.path] = {"data": data, "at": int(time.time()), "user": _typist(request)}
    request.session[UNSAVED] = kept


def restore(request) -> QueryDict | None:
    """The form kept for this page, if it belongs to the person now signed in and is recent; once only."""
    kept = dict(request.session.get(UNSAVED) or {})
    form = kept.pop(request.path, None)
    if form is None:
        return None
    request.session[UNSAVED] = kept
    if form.get("user") is None or form["user"] != request.user.pk or time.time() - form["at"] > KEEP_SECONDS:
        return None
    data = QueryDict(mutable=True)
    for key, values in form["data"].items():
        data.setlist(key, values)
    return data
