"""Settings for bonemets, configured from the environment (12-factor); .env.example lists every variable."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# With DEBUG off a missing, short or Django-generated key refuses to boot (bonemets/boot.py).
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin with bonemets' site: one login page, a verified second factor (checklists/admin/site.py).
    "checklists.apps.BonemetsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Sessions with a user column, so a person's sessions are listed and ended without decoding every session.
    "user_sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Tasks queued in the database and run by `manage.py db_worker` (deploy/systemd/bonemets-worker.service).
    "django_tasks",
    "django_tasks_db",
    "checklists",
]

MIDDLEWARE = [
    # First, so that everything after it sees the client's address, not the proxy's.
    "checklists.accounts.middleware.ClientAddressMiddleware",
    # A short id for every request: in its log lines, its security events and the 500 page's incident id.
    "checklists.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise, so static files keep their far-future caching and nothing else is cached.
    "checklists.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "user_sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle and absolute session limits, before anything treats the request as signed in.
    "checklists.accounts.middleware.SessionTimeoutMiddleware",
    # Deny by default: every view needs a login unless it opts out with @login_not_required.
    "checklists.accounts.middleware.LoginRequiredMiddleware",
    # Then a verified second factor for those who need one, unless the view opts out.
    "checklists.accounts.middleware.SecondFactorMiddleware",
    # Records who made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a lockout into the plain lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bonemets.urls"
WSGI_APPLICATION = "bonemets.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "checklists.context_processors.open_flags",
                "checklists.context_processors.session_clock",
                "checklists.context_processors.typed_work",
            ],
        },
    },
]

# An SQLite file in the project when DATABASE_URL is unset, so a fresh clone runs with no server.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A database that refuses or stops answering costs a request seconds, never the worker (issue 14): connecting
# gives up after DATABASE_CONNECT_TIMEOUT_SECONDS, the server ends a statement after DATABASE_STATEMENT_TIMEOUT_
# SECONDS, and a silent connection is given up a little after that (bonemets/database.py). manage.py gives
# commands (migrate on a large table, the bulk load) DATABASE_COMMAND_STATEMENT_TIMEOUT_SECONDS instead (none).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT_SECONDS", "3"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_SECONDS", "10"))
if DATABASES["default"].get("ENGINE") == "django.db.backends.postgresql":
    # Serial plans: a page reads a few hundred rows, and starting a parallel worker cost more than it saved (the
    # worklist at 10^5 visits: 8.5 ms before its first row, 30 → 20 ms of queries serial; issue 13), while the
    # gunicorn workers already keep the cores busy.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        options=f"-c max_parallel_workers_per_gather=0 -c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
        connect_timeout=DATABASE_CONNECT_TIMEOUT,
    )

# Where `manage.py backup` writes and `manage.py restore_drill` reads (owner-only; README "Backups").
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))
# Background tasks wait in PostgreSQL beside the data they are about: no broker to run, back up or secure.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Notifications (issue 15): email through Django's backend (SMTP in production; in development, one file per
# message in var/sent-mail/, README "Notifications"), and an optional signed webhook per clinic.
# The address staff reach the site at, for the link in every message.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = BASE_DIR / "var" / "sent-mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds before a silent mail server counts as a failed attempt (the worker tries again later).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT_SECONDS", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "bonemets <bonemets@localhost>")
# Signs every webhook POST (HMAC-SHA256 of the body, header X-Bonemets-Signature); no key, no webhook sent.
NOTIFICATION_WEBHOOK_KEY = os.environ.get("NOTIFICATION_WEBHOOK_KEY", "")
AUTH_USER_MODEL = "checklists.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out client is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "checklists.accounts.backends.StaffBackend",
]
# Length over composition (NIST SP 800-63B, OWASP ASVS 5.0 V6): at least 12 characters, not a common password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "checklists:worklist"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production, hashed file names from collectstatic, so whitenoise serves them with far-future caching
    # (every page is no-store, static files are not). The tests and DEBUG run no collectstatic: plain names.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The history of clinical and admin rows is an audit trail: it can be read in the admin, never reverted there.
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sessions (issue 8): signed out after SESSION_IDLE_MINUTES without a request (15 on shared workstations) and
# after SESSION_MAX_HOURS however active; the cookie ends with the browser. `clearsessions` removes ended rows.
SESSION_ENGINE = "user_sessions.backends.db"
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_WARNING_SECONDS = 120
SESSION_MAX_SECONDS = int(os.environ.get("SESSION_MAX_HOURS", "12")) * 60 * 60
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# user_sessions replaces Django's session middleware, which the admin's check looks for by name.
SILENCED_SYSTEM_CHECKS = ["admin.E410"]

# Client address: REMOTE_ADDR, unless the app sits behind this many trusted reverse proxies that append to
# X-Forwarded-For (then the address the nearest proxy saw). Never trust the header without a proxy.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Bloods belong to a visit when taken at most this many days before it (issue 11); older ones are an earlier visit's.
LABS_MAX_DAYS_BEFORE_VISIT = int(os.environ.get("LABS_MAX_DAYS_BEFORE_VISIT", "30"))
# The visit form is kept on the server this often while it changes (issue 11); tests shrink it.
VISIT_AUTOSAVE_SECONDS = 30

# Login throttling (django-axes): 5 failures for one username from one address lock that pair for 15 minutes,
# even with the right password; a per-account ceiling of 100 failures an hour stops a distributed guess.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ACCOUNT_FAILURES_PER_HOUR = 100
AXES_HANDLER = "checklists.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "checklists.accounts.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
# A failure while locked out must not move the end of the lockout: it is 15 minutes from the fifth failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Lockouts are listed in bonemets' own, clinic-scoped admin (checklists/admin/lockouts.py).
AXES_ENABLE_ADMIN = False
# No start-up banner on every command (it would also break the one-line refusals).
AXES_VERBOSE = False

# Second factor (django-otp): the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = "bonemets"

# Patient data stays where it belongs (issue 9).
# Flash messages ("Review recorded: … — ADAMS, Alice.") live in the session, never in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Content-Security-Policy (django-csp): only the app's own, vendored scripts and styles; no inline script, no
# plugins, no <base>, no framing. Bootstrap's CSS draws a few icons from data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "checklists.views.errors.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"

# A load balancer probes the node itself over plain HTTP: /healthz answers it rather than redirect to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "checklists.logs.RequestIdFilter"}},
    "formatters": {
        # One JSON object a line (checklists/logs.py), for the hospital's log collector; LOG_FORMAT=plain for a
        # person reading a terminal.
        "json": {"()": "checklists.logs.JsonFormatter"},
        "plain": {
            "()": "checklists.logs.NoDatabaseDetailFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes reports each failure and lockout as a warning; its per-request INFO lines are noise.
    "loggers": {"axes": {"level": "WARNING"}},
}
