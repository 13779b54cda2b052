"""What the benchmark measures (issue 13): pages served by gunicorn against a bare signed-in page, interleaved;
throughput at concurrency 4; queries per page; the write path; the rules engine; the CSV export."""

import csv
import http.client
import os
import random
import re
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checklists import evaluation, rules, services
from checklists.exports import VISIT_COLUMNS, visit_rows
from checklists.models import Flag, Patient, User, Visit
from checklists.models.choices import FlagStatus
from checklists.models.clinic import ClinicRanges

from . import dataset

ROUNDS = 40
# gunicorn's own log (errors and warnings), to read when a page failed.
LOG = settings.BASE_DIR / "test-artifacts" / "bench-gunicorn.log"  # in the project: not a guessable /tmp name


@dataclass
class PageTiming:
    name: str
    path: str
    median_ms: float
    p95_ms: float
    queries: int | None = None


def percentile(values, share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def pages(username: str) -> list[tuple[str, str]]:
    """The pages measured, for the signed-in nurse: a patient of theirs with visits and open flags."""
    user = User.objects.get(username=username)
    flag = (
        Flag.objects.filter(status=FlagStatus.OPEN, visit__clinic__memberships__user=user)
        .select_related("visit")
        .order_by("-visit__visit_date")
        .first()
    )
    visit = flag.visit
    return [
        ("bare page", "/bench/bare/"),
        ("frame (base.html)", "/bench/frame/"),
        ("worklist", reverse("checklists:worklist")),
        ("patient list", reverse("checklists:patient-list")),
        ("patient page", reverse("checklists:patient-detail", args=[visit.patient_id])),
        ("visit page", reverse("checklists:visit-detail", args=[visit.pk])),
        ("print summary", reverse("checklists:visit-summary", args=[visit.pk])),
    ]


def query_counts(username: str, measured) -> dict[str, int]:
    """Queries per page, in-process (the same views, the same database)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    counts = {}
    for name, path in measured:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, secure=True, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured)
    return counts


# -- over HTTP -------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(port: int, workers: int = 2):
    """The app under gunicorn as in production (DEBUG off, deploy/gunicorn.conf.py), with the bare page added."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "checklists.benchmark.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
    }
    config = settings.BASE_DIR / "deploy" / "gunicorn.conf.py"
    LOG.parent.mkdir(exist_ok=True)
    log = LOG.open("wb")  # noqa: SIM115 - open for the server's lifetime
    server = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [sys.executable, "-m", "gunicorn", "-c", str(config), "bonemets.wsgi"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


class Browser:
    """A signed-in session over plain HTTP, as if behind the TLS proxy (X-Forwarded-Proto: https): the cookies
    are Secure, so they are kept here by hand."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Origin": f"https://127.0.0.1:{self.port}",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, content, dict(response.getheaders())

    def sign_in(self, username: str, password: str) -> None:
        login = reverse("login")
        _status, page, _headers = self.request("GET", login)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        status, _page, headers = self.request(
            "POST", login, {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        assert status == 302 and "sessionid" in self.cookies, f"sign-in failed ({status})"

    def timed(self, path: str) -> float:
        started = time.perf_counter()
        status, _content, _headers = self.request("GET", path)
        elapsed = time.perf_counter() - started
        assert status == 200, (path, status)
        return elapsed * 1000


def page_timings(port: int, username: str, password: str, measured, rounds: int = ROUNDS) -> list[PageTiming]:
    """Each page `rounds` times, interleaved with the bare page in a shuffled order each round, so the machine's
    ups and downs fall on all of them alike."""
    browser = Browser(port)
    browser.sign_in(username, password)
    for _name, path in measured:  # warm up: each worker's first request imports and connects
        for _ in range(4):
            browser.timed(path)
    times = {name: [] for name, _path in measured}
    shuffled = random.Random(1)  # noqa: S311 - an order, not a secret
    for _ in range(rounds):
        order = list(measured)
        shuffled.shuffle(order)
        for name, path in order:
            times[name].append(browser.timed(path))
    return [
        PageTiming(name, path, statistics.median(times[name]), percentile(times[name], 0.95)) for name, path in measured
    ]


def throughput(port: int, username: str, password: str, path: str, seconds: float = 10, concurrency: int = 4) -> float:
    """Requests per second answered for `path` with `concurrency` signed-in clients asking at once."""
    browsers = []
    for _ in range(concurrency):
        browser = Browser(port)
        browser.sign_in(username, password)
        browsers.append(browser)
    done, stop = [0] * concurrency, time.monotonic() + seconds

    def ask(index):
        while time.monotonic() < stop:
            browsers[index].timed(path)
            done[index] += 1

    threads = [threading.Thread(target=ask, args=(index,)) for index in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started)


# -- in-process ------------------------------------------------------------------------------------------------


def writes(username: str, visits: int = 100) -> tuple[int, float]:
    """`record_visit` of a typical visit: its queries, and visits stored per second (one by one, as the form does)."""
    user = User.objects.get(username=username)
    patients = list(Patient.objects.filter(clinic__memberships__user=user).order_by("pk")[:visits])
    rng = random.Random(7)  # noqa: S311 - made-up data
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as captured:
        services.record_visit(patient=patients[0], seen_by=user, entry=dataset.visit_entry(rng, today))
    started = time.perf_counter()
    for patient in patients[1:]:
        services.record_visit(patient=patient, seen_by=user, entry=dataset.visit_entry(rng, today))
    return len(captured), (len(patients) - 1) / (time.perf_counter() - started)


def engine_rate(findings_count: int = 20000) -> tuple[float, int]:
    """Evaluations per second of the pure rules engine over a network's mix of findings (built beforehand)."""
    rng = random.Random(11)  # noqa: S311 - made-up data
    patients = list(Patient.objects.order_by("?")[:200])
    today = timezone.localdate()
    findings = []
    for number in range(findings_count):
        patient = patients[number % len(patients)]
        entry = dataset.visit_entry(rng, today)
        labs = evaluation.with_reference_ranges(patient, entry.labs, ranges=RANGES)
        findings.append(evaluation.build_findings(patient, entry, labs))
    # As timeit does: a warm-up pass, then the median of three, so one pause of the machine is not the figure.
    rates = []
    for _ in range(4):
        started = time.perf_counter()
        flagged = sum(1 for found in findings if rules.evaluate(found).flags)
        rates.append(findings_count / (time.perf_counter() - started))
    return statistics.median(rates[1:]), flagged


# The built-in ranges (a clinic with none of its own), so the engine's rate is measured without the database.
RANGES = ClinicRanges()


class _Discard:
    def write(self, value):
        return len(value)


def export(limit: int | None) -> tuple[int, float, float]:
    """Write the CSV of the first `limit` visits (all: None) in a child process: rows, seconds, and how much the
    child's peak memory grew while it did (MB), so the figure is the export's alone."""
    read, write = os.pipe()
    connection.close()  # the child opens its own
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        os.close(read)
        visits = Visit.objects.all()
        if limit is not None:
            last = Visit.objects.order_by("pk").values_list("pk", flat=True)[limit - 1]
            visits = visits.filter(pk__lte=last)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        writer, rows = csv.writer(_Discard()), 0
        started = time.perf_counter()
        for row in visit_rows(visits, header=VISIT_COLUMNS):
            writer.writerow(row)
            rows += 1
        seconds = time.perf_counter() - started
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        os.write(write, f"{rows - 1} {seconds} {grown}".encode())
        os._exit(0)
    os.close(write)
    answer = os.read(read, 200).decode().split()
    os.waitpid(child, 0)
    return int(answer[0]), float(answer[1]), float(answer[2])
