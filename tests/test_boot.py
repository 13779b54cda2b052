"""With DEBUG off the app refuses to start on an unsafe configuration, in one line (issue 8)."""

import os
import subprocess
import sys

import pytest

from .worked_examples import REPO

GOOD = {
    "SECRET_KEY": "a-production-secret-that-is-long-enough-0123456789-abcdefghij",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/bonemets",
    "ALLOWED_HOSTS": "bonemets.example",
}
# A variable present in the environment with nothing in it (an empty value below means "not set").
SET_BUT_EMPTY = "<set but empty>"
UNSAFE = [
    ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
    ({"SECRET_KEY": "short-but-not-empty"}, "SECRET_KEY is shorter than 50 characters"),
    ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY is a development key"),
    ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY has fewer than 5 different characters"),
    ({"DATABASE_URL": ""}, "DATABASE_URL is not PostgreSQL (sqlite3 is for development only)"),
    ({"DATABASE_URL": SET_BUT_EMPTY}, "DATABASE_URL is empty"),  # a traceback before (issue 8 review)
    ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
]


def run(args, **environment) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS"}}
    env |= {key: "" if value == SET_BUT_EMPTY else value for key, value in environment.items() if value}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=60, check=False
    )


def only_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(("unsafe", "problem"), UNSAFE, ids=[problem for _unsafe, problem in UNSAFE])
def test_the_wsgi_application_refuses_an_unsafe_configuration(unsafe, problem):
    result = run(["-c", "import bonemets.wsgi"], **(GOOD | unsafe))
    assert result.returncode == 1
    assert only_line(result).startswith("bonemets refuses to start with DEBUG off: ")
    assert problem in only_line(result)


@pytest.mark.parametrize(("unsafe", "problem"), UNSAFE, ids=[problem for _unsafe, problem in UNSAFE])
def test_manage_py_commands_refuse_an_unsafe_configuration(unsafe, problem):
    result = run(["manage.py", "migrate", "--check"], **(GOOD | unsafe))
    assert result.returncode == 1
    assert problem in only_line(result)


def test_every_problem_is_named_in_the_one_line():
    result = run(["-c", "import bonemets.wsgi"])
    line = only_line(result)
    assert "SECRET_KEY is not set" in line and "not PostgreSQL" in line and "ALLOWED_HOSTS is empty" in line


def test_a_safe_configuration_starts():
    result = run(["-c", "import bonemets.wsgi; print('started')"], **GOOD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_check_still_runs_and_lists_the_problems_as_errors():
    result = run(["manage.py", "check", "--deploy"], **(GOOD | {"SECRET_KEY": "short-but-not-empty"}))
    assert result.returncode == 1
    assert "(bonemets.E001) SECRET_KEY is shorter than 50 characters" in result.stderr


def test_debug_on_stays_the_easy_laptop_default():
    result = run(["manage.py", "migrate", "--check"], DEBUG="1")
    assert "refuses to start" not in result.stderr
