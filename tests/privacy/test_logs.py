"""Log lines carry the request id and never a database error's quoted values (issue 9)."""

import logging

from checklists.logs import NoDatabaseDetailFormatter, RequestIdFilter, current_request_id


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
