from django.conf import settings
from django.utils.functional import SimpleLazyObject

from checklists import selectors, unsaved
from checklists.accounts.middleware import seconds_left
from checklists.rules.tiers import Tier

NAV_TIERS = (Tier.EMERGENCY, Tier.URGENT, Tier.PROMPT_REVIEW, Tier.ROUTINE)


def open_flags(request):
    """Open flags per tier for the navigation bar of every page (one query, only when a page shows it)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}

    return {"open_flag_counts": SimpleLazyObject(lambda: navigation_counts(selectors.open_flag_counts(request.user)))}


def navigation_counts(found: dict[str, int]) -> list[tuple]:
    """(tier, open flags) for each tier the navigation shows, from selectors.open_flag_counts (the worklist reads
    those counts itself and passes them on, so a page never counts twice)."""
    return [(tier, found.get(tier.value, 0)) for tier in NAV_TIERS]


def session_clock(request):
    """What the page needs to warn before the idle sign-out (static/js/session.js)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "session_clock": {
            "seconds_left": seconds_left(request.session),
            "idle_seconds": settings.SESSION_IDLE_SECONDS,
            "warning_seconds": settings.SESSION_WARNING_SECONDS,
        }
    }


def typed_work(request):
    """The signed "who is typing" field every form that keeps typed work carries (checklists/unsaved.py)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"typed_by_field": SimpleLazyObject(lambda: unsaved.typed_by_field(request.user))}
