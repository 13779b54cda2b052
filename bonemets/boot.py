"""Refuse to start with DEBUG off on a configuration that is unsafe for patient data (issue 8).

Called when the WSGI application is loaded and by manage.py for every command but `check` (which reports the
same problems as errors, so an operator can see them all at once).
"""

import sys

from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_KEY_LENGTH = 50


def configuration_problems(settings) -> list[str]:
    """What makes this configuration unsafe for production; nothing while DEBUG is on (a laptop)."""
    if settings.DEBUG:
        return []
    problems = []
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to read an empty key
        key = ""
    if not key:
        problems.append("SECRET_KEY is not set")
    elif key.startswith("django-insecure-"):
        problems.append("SECRET_KEY is a development key (it starts with 'django-insecure-')")
    elif len(key) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters")
    elif len(set(key)) < 5:  # Django's own deploy check (security.W009) asks the same
        problems.append("SECRET_KEY has fewer than 5 different characters")
    # An empty DATABASE_URL gives dj-database-url's empty configuration, with no ENGINE at all.
    engine = settings.DATABASES["default"].get("ENGINE") or ""
    if not engine:
        problems.append("DATABASE_URL is empty")
    elif engine != "django.db.backends.postgresql":
        problems.append(f"DATABASE_URL is not PostgreSQL ({engine.rsplit('.', 1)[-1]} is for development only)")
    if not settings.ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty")
    return problems


def refuse_unsafe_configuration() -> None:
    """Exit with one line naming every problem, or return."""
    from django.conf import settings

    problems = configuration_problems(settings)
    if problems:
        sys.exit("bonemets refuses to start with DEBUG off: " + "; ".join(problems) + ". See .env.example.")
