"""No patient data in logs, cookies or URLs: a canary patient walked through every page and export (issue 9).

The canary's name, MRN and calcium value must not appear in any log record (the app's loggers, Django's request
log, the security event log) nor in the access-log line gunicorn would write with deploy/gunicorn.conf.py, nor in
any cookie or redirect address; neither may the password typed at sign-in or the session key.
"""

import datetime
import importlib.util
import logging
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from gunicorn.config import Config
from gunicorn.glogging import Logger

from checklists import services
from checklists.entries import ImagingEntry, VisitEntry
from tests.conftest import PASSWORD, TODAY, all_no, lab, make_patient
from tests.privacy.test_no_store import app_urls
from tests.views.helpers import login, verify_second_factor
from tests.worked_examples import REPO

pytestmark = pytest.mark.django_db
CANARIES = ("ZZCANARY-NAME", "ZZCANARY-GIVEN", "ZZCANARY-MRN", "9.87")


def appears(secret: str, text: str) -> bool:
    """The secret as a value of its own: the lab value 9.87 is not the "09.879" of a log line's timestamp (a
    false alarm seen once on PostgreSQL's run)."""
    return re.search(rf"(?<![\d.]){re.escape(secret)}(?![\d])", text) is not None


class Everything(logging.Handler):
    """Every record of every logger, formatted as the app's own console handler would."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record) + " " + repr(getattr(record, "args", "")))


def access_log_line(response) -> str:
    """The line gunicorn, configured by deploy/gunicorn.conf.py, writes for this request."""
    spec = importlib.util.spec_from_file_location("gunicorn_conf", REPO / "deploy" / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    config = Config()
    config.set("access_log_format", conf.access_log_format)
    request = response.wsgi_request
    environ = {
        "REMOTE_ADDR": request.META.get("REMOTE_ADDR"),
        "REQUEST_METHOD": request.method,
        "RAW_URI": request.get_full_path(),
        "PATH_INFO": request.path_info,
        "QUERY_STRING": request.META.get("QUERY_STRING", ""),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_USER_AGENT": request.META.get("HTTP_USER_AGENT", ""),
        "HTTP_REFERER": request.META.get("HTTP_REFERER", ""),
    }
    fake_response = SimpleNamespace(status=str(response.status_code), sent=100, headers=list(response.items()))
    atoms = Logger(config).atoms(fake_response, SimpleNamespace(headers=[]), environ, datetime.timedelta(0, 0, 1))
    return config.access_log_format % atoms


@pytest.fixture
def canary(clinic_a, nurse):
    patient = make_patient(clinic_a, mrn="ZZCANARY-MRN", family_name="ZZCANARY-NAME", given_name="ZZCANARY-GIVEN")
    entry = VisitEntry(
        visit_date=TODAY,
        answers=all_no(limb_weakness=True, nausea=True),
        labs=(lab("calcium_total", "9.87", "mg/dL"), lab("alp", "400", "U/L")),
        imaging=(ImagingEntry("mri", "whole spine", "emergency"),),
        notes="Lives alone",
    )
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    return patient, visit


def visit_form(visit=None, **changes) -> dict:
    data = {f"answer_{key}": answer for key, answer in all_no(limb_weakness=True).items()}
    data |= {
        "visit_date": TODAY.isoformat(),
        "calcium_value": "9.87",
        "calcium_unit": "mg/dL",
        "calcium_type": "total",
        "albumin_unit": "g/L",
        "alp_unit": "U/L",
        "imaging-TOTAL_FORMS": "1",
        "imaging-INITIAL_FORMS": "0",
        "imaging-0-urgency": "routine",
        "action": "complete",
        "notes": "ZZCANARY-NAME said so",
    }
    if visit is not None:
        data["lock_version"] = str(visit.lock_version)
    return data | changes


def test_no_canary_in_any_log_line_cookie_or_address(canary, nurse, clinic_admin, outsider, clinic_a, settings):
    patient, visit = canary
    flag = visit.flags.get(code="MSCC_SUSPECTED")
    capture = Everything()
    capture.setFormatter(logging.getLogger().handlers[0].formatter)
    capture.addFilter(logging.getLogger().handlers[0].filters[0])
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    responses = []
    try:
        browser = Client(raise_request_exception=False)
        responses.append(browser.post(reverse("login"), {"username": nurse.username, "password": PASSWORD}))
        session_key = browser.cookies["sessionid"].value
        get = app_urls(patient, visit, clinic_a)
        for url in get:
            responses.append(browser.get(url))
            if responses[-1].streaming:
                b"".join(responses[-1].streaming_content)
        # An old bookmark or a hand-typed address can still carry a name in its query string.
        responses.append(browser.get(reverse("checklists:patient-list"), {"q": "ZZCANARY-NAME", "mrn": "ZZCANARY-MRN"}))
        searched = browser.post(reverse("checklists:patient-list"), {"q": "ZZCANARY-NAME"})
        responses += [searched, browser.get(searched["Location"])]
        responses.append(browser.post(reverse("checklists:visit-preview", args=[patient.pk]), visit_form()))
        responses.append(browser.post(reverse("checklists:visit-new", args=[patient.pk]), visit_form()))
        responses.append(
            browser.post(reverse("checklists:visit-new", args=[patient.pk]), visit_form(calcium_value="250"))
        )
        responses.append(browser.post(reverse("checklists:visit-edit", args=[visit.pk]), visit_form(visit)))
        responses.append(
            browser.post(
                reverse("checklists:flag-review", args=[flag.pk]), {"action": "mscc_coordinator", "note": "ok"}
            )
        )
        responses.append(browser.get(reverse("checklists:worklist")))  # shows the flash message from the session
        # The fetches a form page makes while it is typed in, and the re-evaluation (issue 9 review).
        responses.append(browser.post(reverse("checklists:visit-autosave", args=[patient.pk]), visit_form()))
        responses.append(browser.post(reverse("checklists:visit-edit-preview", args=[visit.pk]), visit_form(visit)))
        responses.append(browser.post(reverse("checklists:visit-edit-autosave", args=[visit.pk]), visit_form(visit)))
        responses.append(
            browser.post(reverse("checklists:visit-re-evaluate", args=[visit.pk]), {"lock_version": "ZZCANARY-NAME"})
        )
        responses.append(browser.post(reverse("checklists:keep-alive")))
        responses.append(
            browser.post(
                reverse("checklists:password-change"),
                {"old_password": "ZZCANARY-NAME", "new_password1": PASSWORD, "new_password2": PASSWORD},
            )
        )
        edit = {
            "mrn": "ZZCANARY-MRN",
            "family_name": "ZZCANARY-NAME",
            "given_name": "ZZCANARY-GIVEN",
            "date_of_birth": "1955-03-14",
            "sex": "female",
            "primary_cancer": "breast",
            "baseline_alp": "9.87",
        }
        responses.append(browser.post(reverse("checklists:patient-edit", args=[patient.pk]), edit))
        responses.append(browser.post(reverse("checklists:patient-new"), edit))  # refused: the MRN is taken
        admin = login(clinic_admin)
        verify_second_factor(admin, clinic_admin)
        for url in (
            "/admin/",
            reverse("admin:checklists_user_changelist"),
            reverse("admin:checklists_securityevent_changelist"),
            reverse("admin:checklists_securityevent_export"),
        ):
            responses.append(admin.get(url))
            if responses[-1].streaming:
                b"".join(responses[-1].streaming_content)
        prober = login(outsider)
        prober.raise_request_exception = False
        responses.append(prober.get(patient.get_absolute_url()))  # another clinic's patient: 404, logged
        # Last, as it takes the visit off the lists: voiding it, with a reason that names the patient.
        responses.append(
            browser.post(reverse("checklists:visit-void", args=[visit.pk]), {"reason": "ZZCANARY-NAME was not seen"})
        )
        responses.append(browser.post(reverse("logout")))
        responses.append(Client().post(reverse("login"), {"username": "ZZCANARY-NAME", "password": PASSWORD}))
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)

    assert all(response.status_code < 500 for response in responses)
    visit.refresh_from_db()
    assert visit.void_reason == "ZZCANARY-NAME was not seen"  # the reason reached the record, not a log
    logged = "\n".join(capture.lines + [access_log_line(response) for response in responses])
    loggers = {re.search(r'"logger": "([^"]+)"', line).group(1) for line in capture.lines}  # JSON lines (issue 14)
    assert {"bonemets.security", "django.request", "axes.handlers.database"} <= loggers, loggers
    for secret in (*CANARIES, PASSWORD, session_key):
        assert not appears(secret, logged), f"{secret!r} reached a log line"
    for response in responses:
        # Only the session and CSRF cookies, which carry random keys: flash messages live in the session.
        assert set(response.cookies) <= {"sessionid", "csrftoken"}, response.cookies
        cookies = " ".join(morsel.OutputString() for morsel in response.cookies.values())
        for secret in (*CANARIES, PASSWORD):
            assert secret not in cookies, f"{secret!r} reached a cookie"
        assert not any(canary_text in response.get("Location", "") for canary_text in CANARIES)
        if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
            addresses = re.findall(r'(?:href|src|action)="([^"]*)"', response.content.decode())
            assert not [address for address in addresses if any(text in address for text in CANARIES)]


def test_the_canary_lab_value_is_told_apart_from_a_timestamp():
    assert appears("9.87", "calcium 9.87 mg/dL") and appears("9.87", "value=9.87&")
    assert not appears("9.87", "2026-11-22T18:06:09.879167+00:00")
