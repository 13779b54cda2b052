"""Patient searches kept in the session under a random key, so a name or MRN never appears in a URL.

A search is a POST; the page that shows its results, and every page of them, is addressed by the key alone
(`/patients/?search=Xk3…`). So names stay out of the address bar, browser history, bookmarks, proxy and access
logs — without relying on every log being configured to drop query strings.
"""

import re
import secrets
import unicodedata

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


# Finding a patient forgives case, accents and punctuation (issue 11): "nunez" finds "Núñez", "CHEN, C" finds
# Carla Chen. Patients carry their names and MRN in this form (Patient.search_words, Patient.mrn_key), so the
# search is the same on SQLite and PostgreSQL.


def plain(text: str) -> str:
    """Lower case, accents dropped, anything not a letter or digit a space: "Núñez-Ávila, M." -> "nunez avila m"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", letters).split())


def words_of(*names: str) -> str:
    """The stored words of a patient's names, with a space either side so each word's start can be matched."""
    return f" {plain(' '.join(names))} "


def mrn_key(mrn: str) -> str:
    """An MRN's letters and digits only: "mrn-001003" and "MRN 001003" are one record number."""
    return plain(mrn).replace(" ", "")
