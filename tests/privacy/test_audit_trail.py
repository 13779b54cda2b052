"""The clinical audit trail: one history row per real change, with who and why, rows no one can rewrite (issue 9)."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from checklists import history, services
from checklists.entries import LabEntry, VisitEntry
from checklists.models import Flag, LabResult, Patient, ScreenAnswer, User, Visit
from checklists.selectors import visit_entry as stored_entry
from tests.conftest import PASSWORD, TODAY, all_no, lab

pytestmark = pytest.mark.django_db


def history_rows() -> dict[str, int]:
    """How many history rows each audited model has."""
    from django.apps import apps

    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("checklists").get_models()
        if model.__name__.startswith("Historical")
    }


def written(before: dict) -> dict[str, int]:
    """The history rows written since `before`, by model (zero counts left out)."""
    return {name: count - before[name] for name, count in history_rows().items() if count != before[name]}


def calcium_visit(patient, nurse, value="2.30"):
    entry = VisitEntry(
        visit_date=TODAY, answers=all_no(), labs=(lab("calcium_total", value, "mmol/L"), lab("albumin", "40", "g/L"))
    )
    return services.record_visit(patient=patient, seen_by=nurse, entry=entry)


def test_creating_a_visit_writes_one_row_per_created_record(patient, nurse):
    before = history_rows()
    visit = calcium_visit(patient, nurse)
    rows = written(before)
    assert rows == {
        "HistoricalVisit": 1,
        "HistoricalScreenAnswer": ScreenAnswer.objects.filter(visit=visit).count(),
        "HistoricalLabResult": 2,
    }
    assert {row.history_type for row in Visit.history.all()} == {"+"}


def test_a_calcium_only_edit_writes_one_lab_row_and_one_visit_row(patient, nurse):
    visit = calcium_visit(patient, nurse)
    before = history_rows()
    entry = stored_entry(visit, recorded_ranges=False)
    changed = tuple(
        LabEntry(lab.analyte, Decimal("2.35"), lab.unit, lab.reference_lower, lab.reference_upper, lab.collected_on)
        if lab.analyte == "calcium_total"
        else lab
        for lab in entry.labs
    )
    services.update_visit(
        visit=visit, entry=entry.__class__(**{**entry.__dict__, "labs": changed}), lock_version=1, by=nurse
    )
    assert written(before) == {"HistoricalLabResult": 1, "HistoricalVisit": 1}
    assert LabResult.history.order_by("-history_id").first().value == Decimal("2.35")


def test_an_unchanged_save_writes_nothing(patient, nurse):
    visit = calcium_visit(patient, nurse)
    before = history_rows()
    again = services.update_visit(
        visit=visit, entry=stored_entry(visit, recorded_ranges=False), lock_version=1, by=nurse
    )
    assert written(before) == {} and again.lock_version == 1


def test_an_unchanged_edit_form_save_writes_nothing(patient, nurse):
    from tests.views.helpers import login

    visit = calcium_visit(patient, nurse)
    client = login(nurse)
    form = client.get(reverse("checklists:visit-edit", args=[visit.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"imaging-TOTAL_FORMS": "0", "imaging-INITIAL_FORMS": "0", "action": visit.status}
    data |= {f"{prefix}_unit": form[f"{prefix}_unit"].value() for prefix in ("calcium", "albumin", "alp")}
    data["calcium_type"] = form["calcium_type"].value()
    before = history_rows()
    assert client.post(reverse("checklists:visit-edit", args=[visit.pk]), data).status_code == 302
    assert written(before) == {}


def test_a_review_writes_one_flag_row(visit, doctor):
    before = history_rows()
    services.review_flag(flag=visit.flags.get(), by=doctor, action="mscc_coordinator", note="MRI booked")
    assert written(before) == {"HistoricalFlag": 1}
    assert Flag.history.first().history_user == doctor


def test_a_sign_in_writes_no_history(nurse):
    before = history_rows()
    Client().post(reverse("login"), {"username": nurse.username, "password": PASSWORD})
    assert User.objects.get(pk=nurse.pk).last_login is not None  # the login did save the account
    assert written(before) == {}


def test_every_row_names_the_acting_user_even_without_a_request(patient, nurse, doctor):
    calcium_visit(patient, nurse)
    services.update_patient(patient=patient, by=doctor, lock_version=patient.lock_version, given_name="Joanna")
    rows = [
        *Visit.history.all(),
        *ScreenAnswer.history.all(),
        *LabResult.history.all(),
        *Patient.history.filter(history_type="~"),
    ]
    assert rows and all(row.history_user is not None for row in rows)
    assert Patient.history.filter(history_type="~").get().history_user == doctor


def test_editing_a_reviewed_visit_needs_a_reason_kept_on_the_history_rows(visit, doctor, nurse):
    services.review_flag(flag=visit.flags.get(), by=doctor, action="mscc_coordinator", note="MRI booked")
    entry = VisitEntry(visit_date=TODAY, answers=all_no(limb_weakness=True, nausea=True), complete=True)
    with pytest.raises(services.ReasonNeeded):
        services.update_visit(visit=visit, entry=entry, lock_version=visit.lock_version, by=nurse)
    assert ScreenAnswer.objects.get(visit=visit, item__key="nausea").answer == "no"  # nothing was kept
    services.update_visit(
        visit=visit, entry=entry, lock_version=visit.lock_version, by=nurse, reason="Nausea reported by phone"
    )
    nausea = ScreenAnswer.history.filter(item__key="nausea", history_type="~").get()
    assert (nausea.history_change_reason, nausea.history_user) == ("Nausea reported by phone", nurse)
    assert Visit.history.first().history_change_reason == "Nausea reported by phone"


def test_the_edit_form_asks_for_the_reason_next_to_its_field(visit, doctor, nurse):
    from tests.views.helpers import login

    services.review_flag(flag=visit.flags.get(), by=doctor, action="mscc_coordinator", note="MRI booked")
    client = login(nurse)
    page = client.get(reverse("checklists:visit-edit", args=[visit.pk])).content.decode()
    assert "Reason for the change" in page
    data = {f"answer_{key}": answer for key, answer in all_no(limb_weakness=True, nausea=True).items()}
    data |= {
        "visit_date": TODAY.isoformat(),
        "calcium_unit": "mmol/L",
        "calcium_type": "total",
        "albumin_unit": "g/L",
        "alp_unit": "U/L",
        "imaging-TOTAL_FORMS": "0",
        "imaging-INITIAL_FORMS": "0",
        "action": "complete",
        "lock_version": str(visit.lock_version),
        "notes": "typed notes stay",
    }
    refused = client.post(reverse("checklists:visit-edit", args=[visit.pk]), data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["change_reason"] == [services.visits.REASON_NEEDED]
    assert "typed notes stay" in refused.content.decode()


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_history_tables_refuse_update_and_delete_in_the_database(visit, operation):
    for model in (Visit.history.model, Flag.history.model, ScreenAnswer.history.model, User.history.model):
        rows = model.objects.all()
        with pytest.raises(DatabaseError, match="cannot be changed or deleted"), transaction.atomic():
            rows.update(history_change_reason="rewritten") if operation == "update" else rows.delete()
    assert Visit.history.filter(history_change_reason="rewritten").count() == 0


def test_every_history_table_is_protected(db):
    from django.apps import apps

    tables = history.protected_tables(apps.get_app_config("checklists").get_models())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", ["%_no_%"])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {row[0] for row in cursor.fetchall()}
    assert len(tables) >= 17
    assert {f"{table}_no_{operation}" for table in tables for operation in ("update", "delete")} <= triggers


def test_a_voided_visit_leaves_the_worklist_and_keeps_its_record(patient, nurse, doctor):
    from tests.views.helpers import login

    visit = services.record_visit(
        patient=patient, seen_by=nurse, entry=VisitEntry(visit_date=TODAY, answers=all_no(nausea=True), complete=True)
    )
    assert login(nurse).get(reverse("checklists:worklist")).context["page"].object_list
    voided = services.void_visit(visit=visit, by=doctor, reason="Entered for the wrong patient")
    assert (voided.voided_by, voided.void_reason) == (doctor, "Entered for the wrong patient")
    assert Visit.objects.filter(pk=visit.pk).exists() and visit.flags.exists() and visit.answers.exists()
    client = login(nurse)
    assert list(client.get(reverse("checklists:worklist")).context["page"].object_list) == []
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Voided" in page and "Entered for the wrong patient" in page and str(doctor) in page
    patient_page = client.get(patient.get_absolute_url())
    assert patient_page.context["visits"] == [] and patient_page.context["voided_visits"] == [visit]
    summary = client.get(reverse("checklists:visit-summary", args=[visit.pk])).content.decode()
    assert "VOIDED" in summary and "Entered for the wrong patient" in summary
    assert Visit.history.first().history_change_reason == "Entered for the wrong patient"


def test_voiding_needs_a_reason_and_no_open_emergency(visit, doctor):
    with pytest.raises(services.VoidRefused, match="Say why"):
        services.void_visit(visit=visit, by=doctor, reason="  ")
    with pytest.raises(services.VoidRefused, match="open urgent or emergency flags"):
        services.void_visit(visit=visit, by=doctor, reason="Duplicate")
    services.review_flag(flag=visit.flags.get(), by=doctor, action="other", note="Duplicate of another visit")
    services.void_visit(visit=visit, by=doctor, reason="Duplicate")
    with pytest.raises(services.VisitVoided):
        services.void_visit(visit=visit, by=doctor, reason="Again")
    with pytest.raises(services.VisitVoided):
        services.update_visit(
            visit=visit, entry=VisitEntry(visit_date=TODAY, answers=all_no()), lock_version=2, by=doctor
        )


def test_the_database_refuses_a_void_without_who_or_why(visit):
    with pytest.raises(DatabaseError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(voided_at=datetime.datetime.now(datetime.UTC))


def test_a_long_reason_is_kept_whole(visit, doctor):
    """Found in review: the history's reason column held 100 characters; PostgreSQL refused a 134-character void."""
    reason = (
        "Entered for the wrong patient: " + "the MRN on the request form was transposed with another patient's. " * 4
    )
    services.review_flag(flag=visit.flags.get(), by=doctor, action="other", note="Duplicate")
    services.void_visit(visit=visit, by=doctor, reason=reason[:300])
    assert Visit.history.first().history_change_reason == reason[:300].strip()


def test_emptying_a_history_table_wholesale_is_refused_too(visit):
    """Found in review: TRUNCATE (what `manage.py flush` runs on PostgreSQL) passed the row triggers."""
    table = Visit.history.model._meta.db_table
    # The table name is the model's own, not input.
    statement = f'TRUNCATE "{table}"' if connection.vendor == "postgresql" else f'DELETE FROM "{table}"'  # noqa: S608
    refused = pytest.raises(DatabaseError, match="cannot be changed or deleted")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own pending checks would block it first
        cursor.execute(statement)
    assert Visit.history.exists()


def test_an_admin_save_with_no_change_writes_no_history(clinic_admin, clinic_a):
    """Found in review: pressing Save on a clinic without changing anything wrote a history row."""
    from tests.views.helpers import login

    client = login(clinic_admin)
    url = reverse("admin:checklists_clinic_change", args=[clinic_a.pk])
    before = history_rows()
    client.post(url, {"calcium_unit": clinic_a.calcium_unit})
    assert written(before) == {}
    client.post(url, {"calcium_unit": "mg/dL"})
    assert written(before) == {"HistoricalClinic": 1}


def test_nothing_on_a_voided_visit_answers_with_a_500(patient, nurse, doctor):
    """Found in review: reviewing a flag of a voided visit, or re-evaluating it, raised an error page."""
    from tests.views.helpers import login

    visit = services.record_visit(
        patient=patient, seen_by=nurse, entry=VisitEntry(visit_date=TODAY, answers=all_no(nausea=True), complete=True)
    )
    flag = visit.flags.get()
    services.void_visit(visit=visit, by=doctor, reason="Duplicate")
    client = login(doctor)
    client.raise_request_exception = False
    review = client.post(reverse("checklists:flag-review", args=[flag.pk]), {"action": "other", "note": "x"})
    again = client.post(reverse("checklists:visit-re-evaluate", args=[visit.pk]), {"lock_version": "2"})
    assert review.status_code == 302 and again.status_code == 302
    assert "Review</a>" not in client.get(visit.get_absolute_url()).content.decode()


@pytest.mark.parametrize("lock_version", ["abc", "3.", "1.0", "", "-1", "99999999999999999999"])
def test_a_lock_version_that_does_not_parse_is_never_a_500(visit, nurse, lock_version):
    from tests.views.helpers import login

    client = login(nurse)
    client.raise_request_exception = False
    answer = client.post(reverse("checklists:visit-re-evaluate", args=[visit.pk]), {"lock_version": lock_version})
    assert answer.status_code == 302
