"""Patient searches kept in the session under a random key, so a name or MRN never appears in a URL.

A search is a POST; the page that shows its results, and every page of them, is addressed by the key alone
(`/patients/?search=Xk3…`). So names stay out of the address bar, browser history, bookmarks, proxy and access
logs — without relying on every log being configured to drop query strings.
"""

import secrets

SESSION_KEY = "bonemets_patient_searches"
KEPT = 20  # the latest searches of a session; an older key just shows the search box again


def remember(session, text: str) -> str:
    """Keep the search text in the session; return its key."""
    key = secrets.token_urlsafe(6)
    searches = dict(session.get(SESSION_KEY, {}))
    searches[key] = text
    session[SESSION_KEY] = dict(list(searches.items())[-KEPT:])
    return key


def recall(session, key: str) -> str | None:
    """The text of a search kept under this key, or None."""
    return session.get(SESSION_KEY, {}).get(key) if key else None
