"""Configuration from the environment (DESIGN.md §4)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from .worked_examples import REPO


def settings_value(name: str, **environment) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG"} and not key.startswith("DATABASE_")
    }
    env.update(environment)
    code = f"import bonemets.settings as s; print(s.{name})"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, timeout=60)


def test_debug_runs_without_a_secret_key():
    result = settings_value("DEBUG", DEBUG="1")
    assert result.returncode == 0
    assert result.stdout.strip() == "True"


def test_database_url_selects_the_database():
    result = settings_value(
        "DATABASES['default']['ENGINE']", DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/bonemets"
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"
    result = settings_value("DATABASES['default']['NAME']", DEBUG="1")
    assert result.stdout.strip().endswith("db.sqlite3")


def test_allowed_hosts_come_from_the_environment():
    result = settings_value("ALLOWED_HOSTS", SECRET_KEY="x", ALLOWED_HOSTS="clinic.example, other.example")
    assert result.stdout.strip() == "['clinic.example', 'other.example']"


def test_whitenoise_sits_right_after_the_security_middleware():
    middleware = settings.MIDDLEWARE
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == (
        middleware.index("django.middleware.security.SecurityMiddleware") + 1
    )
    # Deny by default: Django's login-required middleware, as ours (it keeps typed work, issue 11).
    assert "checklists.accounts.middleware.LoginRequiredMiddleware" in middleware


def test_custom_user_model_and_time_zones():
    assert settings.AUTH_USER_MODEL == "checklists.User"
    assert settings.USE_TZ is True


def test_only_psycopg2_is_installed():
    """With psycopg 3 beside psycopg2, Django 5.2 would silently use psycopg 3."""
    import importlib.util

    assert importlib.util.find_spec("psycopg2") is not None
    assert importlib.util.find_spec("psycopg") is None


def test_bootstrap_is_vendored_with_its_licence():
    vendor = REPO / "static" / "vendor" / "bootstrap"
    assert (vendor / "bootstrap.min.css").stat().st_size > 100_000
    assert (vendor / "bootstrap.bundle.min.js").exists()
    assert "MIT License" in (vendor / "LICENSE").read_text()


def test_production_settings_pass_the_deploy_checks():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env |= {
        "SECRET_KEY": "k" * 60 + "-production-like-secret-0123456789",
        "ALLOWED_HOSTS": "bonemets.example",
        "SITE_URL": "https://bonemets.example",
        # A database that does not exist: the checks need no data, and the demo-account check finds none.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/bonemets_no_such_database",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_postgresql_plans_pages_serially_and_bounds_connecting_and_statements():
    result = settings_value(
        "DATABASES['default']['OPTIONS']", DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/bonemets"
    )
    assert result.stdout.strip() == (
        "{'options': '-c max_parallel_workers_per_gather=0 -c statement_timeout=10000', 'connect_timeout': 3}"
    )
    configured = settings_value(
        "DATABASES['default']['OPTIONS']",
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/bonemets",
        DATABASE_CONNECT_TIMEOUT_SECONDS="2",
        DATABASE_STATEMENT_TIMEOUT_SECONDS="0",
    )
    assert configured.stdout.strip() == (
        "{'options': '-c max_parallel_workers_per_gather=0 -c statement_timeout=0', 'connect_timeout': 2}"
    )
    assert "OPTIONS" not in settings_value("DATABASES['default']", DEBUG="1").stdout


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_database_connection_runs_serial_plans():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)


def test_commands_never_get_the_requests_statement_timeout_from_the_shared_environment_file():
    """The units load one environment file; migrate on a large table or a backup must not die at 10 s."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "SECRET_KEY"))}
    env |= {"DEBUG": "1", "DATABASE_STATEMENT_TIMEOUT_SECONDS": "10"}
    code = "from django.conf import settings; print(settings.DATABASE_STATEMENT_TIMEOUT)"

    def command_sees(**extra):
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "--command", code],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=env | extra,
            timeout=60,
        )
        return result.stdout.strip().splitlines()[-1]

    assert command_sees() == "0"
    assert command_sees(DATABASE_COMMAND_STATEMENT_TIMEOUT_SECONDS="600") == "600"
    assert (
        settings_value("DATABASE_STATEMENT_TIMEOUT", DEBUG="1", DATABASE_STATEMENT_TIMEOUT_SECONDS="10").stdout.strip()
        == "10"
    )


def test_a_production_site_without_an_https_site_url_fails_the_deploy_check(settings):
    """Issue 15: every on-call message links to SITE_URL; CI's gate runs check --deploy --fail-level WARNING."""
    from checklists.checks import SITE_URL_NEEDED, site_url

    settings.DEBUG = False
    for address in ("", "http://bonemets.hospital.example"):
        settings.SITE_URL = address
        assert [warning.msg for warning in site_url(None)] == [SITE_URL_NEEDED]
    settings.SITE_URL = "https://bonemets.hospital.example"
    assert site_url(None) == []
