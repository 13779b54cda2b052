"""Issue 14 §1–2: `make serve` on PostgreSQL with DEBUG off serves a nurse's worklist over HTTP, answers the health
check, and survives a database that refuses or goes silent (through tests/production/tcp_proxy.py), serving
again from the same process when it returns. The timings are written to test-artifacts/database-failure.txt."""

import json
import re
from pathlib import Path

import pytest

from .served import CREATE_NURSE, PASSWORD, Browser, Server, drop_database, fresh_database, manage
from .served import production_environment as production
from .tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgresql

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def database_url(django_db_setup):
    # Named after this run's test database: two runs side by side (CI's and a developer's) keep apart.
    from django.db import connection

    name = f"{connection.settings_dict['NAME']}_served"[:63]
    url = fresh_database(name)
    env = production(url)
    for command in (("migrate", "--noinput"), ("shell", "--command", CREATE_NURSE)):
        result = manage(env, *command)
        assert result.returncode == 0, result.stdout + result.stderr
    yield url
    drop_database(name)


@pytest.fixture
def proxy():
    proxy = TcpProxy()
    yield proxy
    proxy.close()


def test_make_serve_signs_a_nurse_in_through_the_login_page_and_serves_the_worklist(database_url, tmp_path):
    server = Server(production(database_url), tmp_path / "serve.log")
    try:
        browser = Browser(server.port)
        response, _, _ = browser.sign_in("nurse.served", PASSWORD)
        assert response.status == 302 and response.getheader("Location") == "/", response.status
        response, page, _ = browser.get("/")
        assert response.status == 200 and "Worklist" in page and "nurse.served" in page
        assert "Strict-Transport-Security" in dict(response.getheaders())
        response, page, _ = browser.get("/healthz")
        assert (response.status, page) == (200, "ok\n")
        # A patient searched for by name (an old bookmark with the name in its address), then opened.
        response, page, _ = browser.get("/patients/?q=ZZCANARY-NAME&mrn=ZZCANARY-MRN")
        patient = re.search(r'href="(/patients/\d+/)"', page).group(1)
        response, page, _ = browser.get(patient)
        assert response.status == 200 and "ZZCANARY-NAME" in page
        response, _, _ = browser.get("/patients/999999/")  # another clinic's or no one's: logged as not found
        assert response.status == 404
    finally:
        server.stop()
    log = (tmp_path / "serve.log").read_text()
    # The access log: path and request id, never a query string; the app's lines JSON; no error; no patient data.
    assert '"GET / HTTP/1.1" 200' in log and '"GET /patients/ HTTP/1.1" 200' in log and "Traceback" not in log
    app_lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(line["logger"] == "django.request" and line["request_id"] != "-" for line in app_lines), log
    assert "ZZCANARY" not in log


def test_a_database_that_refuses_or_goes_silent_costs_seconds_and_the_same_process_serves_again(
    database_url, proxy, tmp_path
):
    through_proxy = database_url.replace(":5432/", f":{proxy.port}/")
    # The production deadlines (.env.example): connect 3 s, statements 10 s, a silent connection given up 5 s later.
    env = production(through_proxy, GUNICORN_WORKERS="1", GUNICORN_TIMEOUT="30")
    server = Server(env, tmp_path / "serve.log")
    timings, incidents = [], []
    try:
        browser, probe = Browser(server.port), Browser(server.port)
        assert browser.sign_in("nurse.served", PASSWORD)[0].status == 302

        def page(what: str, path: str, status: int) -> str:
            response, text, took = (probe if path == "/healthz" else browser).get(path)
            timings.append(f"{what:<36} {path:<9} {response.status}  {took:5.2f} s")
            assert response.status == status, (what, path, response.status, text[:300])
            if status == 500:
                incidents.append(re.search(r'incident-id">([0-9a-f]{12})<', text).group(1))
            return text

        worklist, health = ("/", 500), ("/healthz", 503)
        for failure, words in (("refuse", "refuses"), ("silent", "is silent")):
            # First with a connection open from the request before (persistent: CONN_MAX_AGE), then without one.
            for first, then in ((worklist, health), (health, worklist)):
                proxy.set("forward")
                page("database up", first[0], 200)
                proxy.set(failure)
                text = page(f"database {words}, open connection", *first)
                page(f"database {words}, connecting", *then)
                if first == health:
                    assert text == "database unavailable\n"
                else:
                    assert "Something went wrong" in text and "incident number" in text
                    assert "Traceback" not in text and "psycopg2" not in text and "5432" not in text
                proxy.set("forward")
                assert "nurse.served" in page("database back", "/", 200)
                page("database back", "/healthz", 200)
    finally:
        server.stop()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "database-failure.txt").write_text("\n".join(timings) + "\n")
    log = (tmp_path / "serve.log").read_text()
    # No request waited for gunicorn to kill its worker: the one worker served throughout.
    assert "WORKER TIMEOUT" not in log and log.count("Booting worker") == 1, log[-3000:]
    # Each incident number a user read off the error page finds the error's JSON line, traceback included.
    lines = [json.loads(line) for line in re.findall(r"^\{.*\}$", log, re.MULTILINE)]
    errors = {line["request_id"]: line for line in lines if line["level"] == "ERROR"}
    assert len(incidents) == 4
    for incident in incidents:
        assert "OperationalError" in errors[incident]["exception"], errors[incident]
    for line in timings:
        took = float(line.split()[-2])
        assert took < (5 if "/healthz" in line else 30), timings  # health in 5 s, pages within gunicorn's timeout
