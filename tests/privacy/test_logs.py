"""Log lines carry the request id and never a database error's quoted values (issue 9); one JSON object a line
(issue 14 §5)."""

import json
import logging
from types import SimpleNamespace

from checklists.logs import JsonFormatter, NoDatabaseDetailFormatter, RequestIdFilter, current_request_id


def test_a_postgresql_detail_line_never_reaches_the_log():
    try:
        raise RuntimeError(
            'duplicate key value violates unique constraint "patient_mrn_unique_per_clinic"\n'
            "DETAIL:  Key (clinic_id, mrn)=(1, ZZCANARY-MRN) already exists."
        )
    except RuntimeError as error:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            "",
            0,
            "Internal Server Error",
            (),
            (type(error), error, error.__traceback__),
        )
    text = NoDatabaseDetailFormatter("%(message)s").format(record)
    assert "patient_mrn_unique_per_clinic" in text
    assert "ZZCANARY-MRN" not in text


def test_every_record_gets_the_request_id():
    record = logging.LogRecord("x", logging.INFO, "", 0, "hello", (), None)
    token = current_request_id.set("abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)
    assert record.request_id == "abc123"


def test_a_real_duplicate_key_error_keeps_the_mrn_out_of_the_log(patient, clinic_a, db):
    """On PostgreSQL the driver's message quotes the row's values on a DETAIL line; on SQLite it names columns."""
    import pytest
    from django.db import IntegrityError, transaction

    from checklists.models import Patient

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Patient.objects.create(
            clinic=clinic_a,
            mrn=patient.mrn,
            family_name="ZZCANARY-NAME",
            given_name="x",
            date_of_birth=patient.date_of_birth,
        )
    record = logging.LogRecord("django.request", logging.ERROR, "", 0, "boom", (), (error.type, error.value, error.tb))
    text = NoDatabaseDetailFormatter("%(message)s").format(record)
    assert "IntegrityError" in text and patient.mrn not in text.split("IntegrityError", 1)[1]


def test_a_json_line_holds_time_level_logger_request_id_and_message_and_nothing_a_record_carries_besides():
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "Not Found: %s", ("/patients/7/",), None)
    record.request = SimpleNamespace(__str__=lambda: "<WSGIRequest: GET '/patients/?q=ZZCANARY-NAME'>")
    record.status_code = 404
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry.keys() == {"time", "level", "logger", "request_id", "message"} and "\n" not in line
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "WARNING",
        "django.request",
        "Not Found: /patients/7/",
    )
    assert entry["time"].endswith("+00:00") and "ZZCANARY" not in line


def test_a_json_line_keeps_the_traceback_without_the_database_detail():
    detail = "DETAIL:  Key (clinic_id, mrn)=(1, " + "ZZ" + "CANARY-MRN) already exists."  # not on the raising line
    try:
        raise RuntimeError("duplicate key value\n" + detail)
    except RuntimeError as error:
        record = logging.LogRecord("x", logging.ERROR, "", 0, "boom", (), (type(error), error, error.__traceback__))
    entry = json.loads(JsonFormatter().format(record))
    assert "RuntimeError: duplicate key value" in entry["exception"] and "ZZCANARY" not in entry["exception"]
    assert entry["request_id"] == "-"


def test_production_logs_json_and_a_terminal_may_ask_for_plain_lines():
    from tests.test_settings import settings_value

    def formatter(**environment):
        return settings_value("LOGGING['handlers']['console']['formatter']", **environment).stdout.strip()

    assert formatter(DEBUG="1") == "plain"
    assert formatter(DEBUG="1", LOG_FORMAT="json") == "json"
    assert formatter(DEBUG="0", SECRET_KEY="x" * 60) == "json"


def test_django_s_own_line_about_a_not_found_answer_carries_the_request_id(client, db, caplog):
    """Django logs a 4xx/5xx answer after the middleware chain has returned: the id must still be there, and be
    gone once the request has finished."""
    caplog.set_level(logging.WARNING, logger="django.request")
    caplog.handler.addFilter(RequestIdFilter())  # as the console handler has it: run when the line is written
    response = client.get("/no-such-page/")
    records = [record for record in caplog.records if record.name == "django.request"]
    assert records[-1].getMessage() == "Not Found: /no-such-page/"
    assert records[-1].request_id == response["X-Request-ID"] != "-"
    assert current_request_id.get() == "-"


def test_the_statement_postgresql_quotes_around_an_error_never_reaches_the_log():
    statement = "LINE 1: ...FROM patient WHERE mrn = '" + "ZZ" + "CANARY-MRN' AND x\n" + " " * 40 + "^"
    try:
        raise RuntimeError('invalid input syntax for type integer: "abc"\n' + statement + "\nHINT:  check the type")
    except RuntimeError as error:
        record = logging.LogRecord("x", logging.ERROR, "", 0, "boom", (), (type(error), error, error.__traceback__))
    text = NoDatabaseDetailFormatter("%(message)s").format(record)
    assert "invalid input syntax" in text and "HINT:" in text
    assert "ZZCANARY" not in text and "\n" + " " * 40 + "^" not in text
