"""The app as an operator runs it (issue 14): a PostgreSQL database of its own, `make serve` (gunicorn, DEBUG off,
the production settings), reached over HTTP as a browser behind the TLS proxy would reach it."""

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psycopg2

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "served-over-gunicorn-2026"

CREATE_NURSE = f"""
from django.contrib.auth.models import Group
from checklists import services
from checklists.models import CLINIC_STAFF, Membership, Patient, Role, User
clinic = services.open_clinic(name="Served Clinic")
user = User.objects.create_user(username="nurse.served", password="{PASSWORD}")
Membership.objects.create(user=user, clinic=clinic, role=Role.CLINICIAN)
user.groups.add(Group.objects.get(name=CLINIC_STAFF))
Patient.objects.create(
    clinic=clinic, mrn="ZZCANARY-MRN", family_name="ZZCANARY-NAME", given_name="Ann", date_of_birth="1950-01-02"
)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _administer(*statements: str) -> None:
    admin = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    admin.autocommit = True  # CREATE and DROP DATABASE run outside a transaction
    with admin.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    admin.close()


def fresh_database(name: str) -> str:
    """An empty PostgreSQL database (dropped first if a run left it), as `postgres://` URL."""
    _administer(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    _administer(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_environment(database_url: str, **extra) -> dict:
    """What .env.example asks of production, for a server on 127.0.0.1 behind a TLS proxy."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "DEBUG"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        BEHIND_TLS_PROXY="1",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def manage(env: dict, *args: str, **run) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300, **run
    )


class Server:
    """`make serve` in a process group of its own, its log in a file."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.log = log
        env = env | {"GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        with log.open("w") as out:
            self.process = subprocess.Popen(
                ["make", "--no-print-directory", "serve", f"BIN={Path(sys.executable).parent}"],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"make serve stopped:\n{self.log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not listen within 60 s:\n{self.log.read_text()}")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


class Browser:
    """Just enough of a browser behind nginx: cookies (the Secure ones too: nginx speaks TLS to the real browser),
    X-Forwarded-Proto: https, and the Origin a form post carries."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, timeout: float = 60):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://127.0.0.1"}
        start = time.monotonic()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        took = time.monotonic() - start
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response, text, took

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def sign_in(self, username: str, password: str):
        _, page, _ = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        return self.request("POST", "/accounts/login/", form=form)
