"""Issue 13 §1 and §3: the bulk load (`services.visits.record_visits` and `services.patients.create_patients`,
which the benchmark seeds with) stores exactly what `record_visit` and `create_patient` store, visit by visit: the
same rows, flags (carried over too), recommendations, follow-up dates and history rows."""

import dataclasses
import datetime
import random

import pytest
from django.db import connection
from django.utils import timezone

from checklists import services
from checklists.benchmark import dataset
from checklists.models import (
    Flag,
    FractureRiskScore,
    ImagingOrder,
    LabResult,
    Patient,
    Recommendation,
    ScreenAnswer,
    Visit,
)
from checklists.models.choices import FlagStatus, ReviewAction
from checklists.services.patients import create_patients
from checklists.services.visits import ImplausibleDates, record_visits

pytestmark = pytest.mark.django_db
CHILDREN = (ScreenAnswer, LabResult, ImagingOrder, FractureRiskScore, Flag, Recommendation)
# What differs between two recordings of the same visit by design: ids, when, and the form's submission id.
UNCOMPARED = {
    "id",
    "history_id",
    "history_date",
    "created_at",
    "updated_at",
    "raised_at",
    "reviewed_at",
    "submission_id",
    "due_at",  # from when each was recorded
}


def made_up_visits(patients: int, visits: int, seed: int = 13):
    """Patients (their details) and each one's visits, oldest first, as the benchmark makes them."""
    rng, today = random.Random(seed), timezone.localdate()  # noqa: S311 - made-up data
    people = []
    for number in range(patients):
        details = dataset.patient_details(rng, number)
        dates = dataset.visit_dates(rng, visits, last_within=60, today=today)
        people.append((details, [dataset.visit_entry(rng, day) for day in dates]))
    return people


def create(clinic, people, prefix: str, *, bulk: bool, by=None) -> list[Patient]:
    details = [person | {"mrn": f"{prefix}{person['mrn']}"} for person, _entries in people]
    if bulk:
        return create_patients(clinic=clinic, by=by, patients=details)
    return [services.create_patient(clinic=clinic, by=by, **person) for person in details]


def review_as_known_stable(patients, by) -> int:
    """Review every open prompt-review or routine flag of these patients as known and stable, in a fixed order."""
    flags = Flag.objects.filter(
        visit__patient__in=patients, status=FlagStatus.OPEN, tier__in=["prompt_review", "routine"]
    ).order_by("visit__patient__mrn", "visit__visit_date", "code")
    for flag in flags:
        services.review_flag(
            flag=flag,
            by=by,
            action=ReviewAction.SEEN_IN_CLINIC,
            note="",
            stable_until=timezone.localdate() + datetime.timedelta(days=180),
        )
    return len(flags)


def snapshot(patients) -> dict:
    """Everything stored for these patients, with ids replaced by what they stand for (patient number, visit
    date, flag code), sorted: two recordings of the same visits give the same snapshot."""
    number = {patient.pk: index for index, patient in enumerate(patients)}
    visits = {
        visit.pk: (number[visit.patient_id], str(visit.visit_date))
        for visit in Visit.objects.filter(patient__in=patients)
    }
    flags = {flag.pk: (*visits[flag.visit_id], flag.code) for flag in Flag.objects.filter(visit__in=visits)}

    def plain(row: dict) -> tuple:
        row = {name: value for name, value in row.items() if name not in UNCOMPARED}
        for name in ("mrn", "mrn_key"):
            if name in row:
                row[name] = row[name].removeprefix("ONE").removeprefix("BULK").removeprefix("one").removeprefix("bulk")
        if "patient_id" in row:
            row["patient_id"] = number[row["patient_id"]]
        if "visit_id" in row:
            row["visit_id"] = visits[row["visit_id"]]
        if row.get("carried_over_from_id"):
            row["carried_over_from_id"] = flags[row["carried_over_from_id"]]
        return tuple(sorted((name, repr(value)) for name, value in row.items()))

    by_mrn = Patient.objects.filter(pk__in=number).order_by("mrn")
    stored = {"follow_ups": [patient.next_follow_up_due for patient in by_mrn]}
    stored["Patient"] = [plain(row) for row in by_mrn.values()]
    stored["Patient history"] = sorted(plain(row) for row in Patient.history.filter(id__in=number).values())
    stored["Visit"] = sorted(plain(row) for row in Visit.objects.filter(pk__in=visits).values())
    stored["Visit history"] = sorted(plain(row) for row in Visit.history.filter(id__in=visits).values())
    for model in CHILDREN:
        stored[model.__name__] = sorted(plain(row) for row in model.objects.filter(visit__in=visits).values())
        stored[f"{model.__name__} history"] = sorted(
            plain(row) for row in model.history.filter(visit_id__in=visits).values()
        )
    return stored


def check_foreign_keys_now() -> None:
    """Check the foreign keys of the rows written so far now, a part at a time, with no statement timeout for the
    rest of the test's transaction. PostgreSQL defers them to the test's end, where checking the ~50,000 rows of
    600 visits at once outlasted the 10 s statement timeout on a slow, busy CI machine (2026-11-23)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
    connection.check_constraints()


def test_the_bulk_load_stores_what_record_visit_stores(clinic_a, nurse, doctor):
    people = made_up_visits(patients=30, visits=10)
    one = create(clinic_a, people, "ONE", bulk=False, by=nurse)
    check_foreign_keys_now()
    bulk = create(clinic_a, people, "BULK", bulk=True, by=nurse)
    check_foreign_keys_now()
    half = 5
    for patient, (_details, entries) in zip(one, people, strict=True):
        for entry in entries[:half]:
            services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    check_foreign_keys_now()
    record_visits(
        [(patient, entry) for patient, (_d, entries) in zip(bulk, people, strict=True) for entry in entries[:half]],
        seen_by=nurse,
    )
    check_foreign_keys_now()
    # Reviews in between: the later visits' flags carry over from them, both ways.
    assert review_as_known_stable(one, doctor) == review_as_known_stable(bulk, doctor) > 0
    for patient, (_details, entries) in zip(one, people, strict=True):
        for entry in entries[half:]:
            services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    check_foreign_keys_now()
    record_visits(
        [(patient, entry) for patient, (_d, entries) in zip(bulk, people, strict=True) for entry in entries[half:]],
        seen_by=nurse,
    )
    check_foreign_keys_now()

    expected, loaded = snapshot(one), snapshot(bulk)
    assert Visit.objects.filter(patient__in=bulk).count() == 300
    assert Flag.objects.filter(visit__patient__in=bulk, status=FlagStatus.CARRIED_OVER).exists()
    assert set(Visit.objects.filter(patient__in=bulk).values_list("tier", flat=True)) >= {
        "none",
        "emergency",
    }
    for part in expected:
        assert loaded[part] == expected[part], part


def test_the_bulk_load_refuses_what_record_visit_refuses_and_writes_nothing(clinic_a, nurse):
    people = made_up_visits(patients=2, visits=2)
    patients = create(clinic_a, people, "X", bulk=True)
    future = dataclasses.replace(people[1][1][1], visit_date=timezone.localdate() + datetime.timedelta(days=3))
    with pytest.raises(ImplausibleDates):
        record_visits([(patients[0], people[0][1][0]), (patients[1], future)], seen_by=nurse)
    assert not Visit.objects.exists()


@pytest.mark.parametrize("model", (Visit, *CHILDREN))
def test_the_history_copied_in_the_database_is_the_row_simple_history_writes(model, clinic_a, nurse):
    """copy_to_history writes, in one INSERT … SELECT, what bulk_history_create writes object by object."""
    from checklists.services.new_visits import copy_to_history

    people = made_up_visits(4, 10, seed=5)
    patients = create(clinic_a, people, "H", bulk=True, by=nurse)
    record_visits(
        [(patient, entry) for patient, (_, entries) in zip(patients, people, strict=True) for entry in entries],
        seen_by=nurse,
    )
    for flag in Flag.objects.all()[:1]:  # a reviewed flag: its review columns are copied too
        services.review_flag(flag=flag, by=nurse, action=ReviewAction.SEEN_IN_CLINIC, note="Seen")
    objects = list(model.objects.all())
    assert objects
    at = timezone.now() + datetime.timedelta(days=1)
    copy_to_history(model, [obj.pk for obj in objects], by=nurse, at=at)
    copied_ids = list(model.history.filter(history_date=at).values_list("pk", flat=True))
    model.history.bulk_history_create(objects, default_user=nurse, default_change_reason="", default_date=at)
    copied = model.history.filter(pk__in=copied_ids)
    written = model.history.filter(history_date=at).exclude(pk__in=copied_ids)

    def rows(history):
        return sorted(
            ({k: v for k, v in row.items() if k != "history_id"} for row in history.values()), key=lambda r: r["id"]
        )

    assert rows(copied) == rows(written)
    assert len(rows(copied)) == len(objects)


def test_answers_written_set_wise_are_the_rows_bulk_create_and_simple_history_write(clinic_a, nurse, patient):
    """insert_answers writes a visit's answers from (item, answer) pairs: the same rows, and history rows, as
    ScreenAnswer objects through bulk_create and bulk_history_create (record_visit and the bulk load share it, so
    comparing those two alone could not tell)."""
    from tests.conftest import screen_items, visit_entry

    [recorded] = record_visits([(patient, visit_entry(limb_weakness=True, back_pain=True))], seen_by=nurse)
    twin = Visit.objects.create(
        patient=patient,
        clinic=clinic_a,
        seen_by=nurse,
        checklist_version=recorded.checklist_version,
        visit_date=recorded.visit_date,
    )
    recorded_at = ScreenAnswer.history.filter(visit_id=recorded.pk).values_list("history_date", flat=True).first()
    answers = [ScreenAnswer(visit=twin, item_id=row.item_id, answer=row.answer) for row in recorded.answers.all()]
    ScreenAnswer.objects.bulk_create(answers)
    ScreenAnswer.history.bulk_history_create(
        answers, default_user=nurse, default_change_reason="", default_date=recorded_at
    )

    def rows(queryset, visit):
        return sorted(
            tuple(sorted((k, v) for k, v in row.items() if k not in {"id", "history_id", "visit_id"}))
            for row in queryset.filter(visit_id=visit.pk).values()
        )

    assert len(rows(ScreenAnswer.objects, recorded)) == len(screen_items()) > 20
    assert {answer.answer for answer in answers} >= {"yes", "no"}
    assert rows(ScreenAnswer.objects, recorded) == rows(ScreenAnswer.objects, twin)
    assert rows(ScreenAnswer.history, recorded) == rows(ScreenAnswer.history, twin)


def test_the_benchmark_s_older_flags_are_reviewed_set_wise_with_a_history_row_each(clinic_a, nurse, doctor):
    """The seed reviews flags older than a month in two statements a batch: each one reviewed two hours after it
    was raised, by the doctor, with the history row a review's save writes ("~", by the doctor, at the review)."""
    from checklists.benchmark.seed import REVIEW_NOTE, _review_older_flags

    people = made_up_visits(patients=20, visits=4)
    patients = create(clinic_a, people, "R", bulk=True, by=nurse)
    record_visits(
        [(patient, entry) for patient, (_, entries) in zip(patients, people, strict=True) for entry in entries],
        seen_by=nurse,
    )
    cutoff = timezone.localdate() - datetime.timedelta(days=30)
    older = set(Flag.objects.filter(visit__visit_date__lt=cutoff, status=FlagStatus.OPEN).values_list("pk", flat=True))
    newer = set(Flag.objects.filter(visit__visit_date__gte=cutoff, status=FlagStatus.OPEN).values_list("pk", flat=True))
    assert older and newer

    _review_older_flags(doctor, cutoff)

    assert set(Flag.objects.filter(status=FlagStatus.OPEN).values_list("pk", flat=True)) == newer
    for flag in Flag.objects.filter(pk__in=older):
        assert flag.status == FlagStatus.REVIEWED
        assert (flag.reviewed_by, flag.review_action, flag.review_note) == (
            doctor,
            ReviewAction.SEEN_IN_CLINIC,
            REVIEW_NOTE,
        )
        assert flag.reviewed_at == flag.raised_at + datetime.timedelta(hours=2)
        latest = flag.history.order_by("-history_date", "-history_id").first()
        assert (latest.history_type, latest.history_user, latest.history_date) == ("~", doctor, flag.reviewed_at)
        assert (latest.status, latest.reviewed_by_id, latest.review_note) == (
            FlagStatus.REVIEWED,
            doctor.pk,
            REVIEW_NOTE,
        )
        assert flag.history.count() == 2
