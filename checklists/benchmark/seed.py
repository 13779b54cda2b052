"""Load the benchmark's network: clinics, a signed-in nurse, patients and their visits through the services' bulk
paths (the rules engine grades every visit; the rows are those `record_visit` stores), and a month of open flags.

Visits are replayed day by day in date order, as they would have been recorded, so a patient's later visits see
their earlier ones. Flags older than a month were reviewed in clinic: the seed marks them so in bulk, with a
history row each, since a real network's worklist holds a month of flags, not three years'.
"""

import datetime
import multiprocessing
import random
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from checklists import services
from checklists.models import CLINIC_STAFF, Flag, Membership, Role, User
from checklists.models.choices import FlagStatus, ReviewAction
from checklists.services.new_visits import copy_to_history
from checklists.services.patients import create_patients
from checklists.services.visits import record_visits

from . import dataset

CLINICS = ("Bench North Clinic", "Bench South Clinic", "Bench West Clinic")
VISITS_PER_PATIENT = 10
OPEN_FOR_DAYS = 30
# A day's visits of the whole network at a time: one transaction, a few queries per kind of row.
VISITS_PER_BATCH = 2000
# Processes loading visits at once: Python builds one's rows while PostgreSQL writes another's (issue 13).
LOADERS = 2
REVIEWS_PER_BATCH = 20_000
REVIEW_NOTE = "Seen in clinic; plan agreed with the patient."


@dataclass
class Seeded:
    username: str
    password: str
    visits: int
    patients: int
    open_flags: int
    seconds: float
    visits_per_second: float


NURSE = "bench.nurse"


def seed(visits: int, *, seed_number: int = 13, log=print, loaders: int = LOADERS) -> Seeded:
    started = time.perf_counter()
    _without_waiting_for_the_disk()
    rng, today = random.Random(seed_number), timezone.localdate()  # noqa: S311 - made-up data, not secrets
    clinics = [services.open_clinic(name=name) for name in CLINICS]
    nurse, doctor, password = _staff(clinics[0])
    patients_count = max(1, visits // VISITS_PER_PATIENT)
    # Each loader replays the days of its own patients: a patient's visits stay in one process, in date order.
    shares = [defaultdict(list) for _ in range(loaders)]
    for clinic_index, clinic in enumerate(clinics):
        numbers = range(clinic_index, patients_count, len(clinics))
        people = [dataset.patient_details(rng, number) for number in numbers]
        for start in range(0, len(people), VISITS_PER_BATCH):
            created = create_patients(clinic=clinic, by=nurse, patients=people[start : start + VISITS_PER_BATCH])
            for patient in created:
                by_day = shares[patient.pk % loaders]
                for day in dataset.visit_dates(rng, VISITS_PER_PATIENT, last_within=90, today=today):
                    by_day[day].append((patient, dataset.visit_entry(rng, day)))
    log(f"  {patients_count} patients in {time.perf_counter() - started:.1f} s")
    loading = time.perf_counter()
    recorded = _load_in_parallel(shares, nurse, today)
    seconds = time.perf_counter() - loading
    log(f"  {recorded} visits in {seconds:.1f} s ({recorded / seconds:.0f} visits/s, {loaders} processes)")
    _review_older_flags(doctor, today - datetime.timedelta(days=OPEN_FOR_DAYS))
    open_flags = Flag.objects.filter(status=FlagStatus.OPEN).count()
    log(f"  {open_flags} open flags (the last {OPEN_FOR_DAYS} days); done in {time.perf_counter() - started:.1f} s")
    return Seeded(nurse.username, password, recorded, patients_count, open_flags, seconds, recorded / seconds)


def _without_waiting_for_the_disk() -> None:
    with connection.cursor() as cursor:
        # A bulk load that can be run again: a crash may lose its last batches, never corrupt them, and each
        # commit no longer waits for its WAL to reach the disk (a tenth of the load's time).
        cursor.execute("SET synchronous_commit TO OFF")


def _load_in_parallel(shares: list[dict], nurse, today) -> int:
    """Load each share of the visits in a process of its own (forked: the shares are not copied or pickled), so
    one builds its rows while PostgreSQL writes another's. The same rows as one process would write, but for
    the order of their ids."""
    if len(shares) == 1:
        return _load(shares[0], nurse, today)
    connections.close_all()  # a forked process must never share its parent's connection
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_load_and_exit, args=(share, nurse, today)) for share in shares]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    _without_waiting_for_the_disk()  # the parent's new connection, for the reviews that follow
    failed = [process.exitcode for process in processes if process.exitcode != 0]
    if failed:
        raise RuntimeError(f"a loader process failed (exit codes {failed}): see its traceback above")
    return sum(len(visits) for share in shares for visits in share.values())


def _load_and_exit(share: dict, nurse, today) -> None:
    try:
        _load(share, nurse, today)
    finally:
        connections.close_all()


def _load(by_day: dict, nurse, today) -> int:
    _without_waiting_for_the_disk()
    batch, recorded = [], 0
    last = max(by_day, default=None)
    for day in sorted(by_day):
        batch += by_day[day]
        if len(batch) >= VISITS_PER_BATCH or day == last:
            recorded += _record(batch, nurse, day, today)
            batch = []
    return recorded


def _record(batch, nurse, day, today) -> int:
    """Record a batch of visits as the evening of its last day (or now, for today's)."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 0)))
    with transaction.atomic():
        record_visits(batch, seen_by=nurse, at=min(at, timezone.now()))
    return len(batch)


def _staff(clinic):
    """A nurse who logs the visits and signs in to the pages, and a doctor who reviewed the older flags."""
    password = secrets.token_urlsafe(18)
    group = Group.objects.get(name=CLINIC_STAFF)
    people = []
    for username, role in ((NURSE, Role.CLINICIAN), ("bench.doctor", Role.CLINICIAN)):
        user = User.objects.create_user(username=username, password=password, first_name="Bench", last_name=username)
        Membership.objects.create(user=user, clinic=clinic, role=role)
        user.groups.add(group)
        people.append(user)
    return people[0], people[1], password


def staff_signing_in() -> tuple[str, str]:
    """The seeded nurse, with a new random password (an earlier run's is not kept anywhere)."""
    password = secrets.token_urlsafe(18)
    nurse = User.objects.get(username=NURSE)
    nurse.set_password(password)
    nurse.save(update_fields=["password"])
    return nurse.username, password


def _review_older_flags(doctor, cutoff: datetime.date) -> None:
    """Flags raised before `cutoff` were reviewed two hours after they were raised, with a history row each: one
    UPDATE and one history copy per batch, set-based (a model object per flag was a sixth of the load's time)."""
    older = Flag.objects.filter(status=FlagStatus.OPEN, visit__visit_date__lt=cutoff).order_by("pk")
    while ids := list(older.values_list("pk", flat=True)[:REVIEWS_PER_BATCH]):
        with transaction.atomic():
            Flag.objects.filter(pk__in=ids).update(
                status=FlagStatus.REVIEWED,
                reviewed_by=doctor,
                reviewed_at=F("raised_at") + datetime.timedelta(hours=2),
                review_action=ReviewAction.SEEN_IN_CLINIC,
                review_note=REVIEW_NOTE,
            )
            copy_to_history(Flag, ids, by=doctor, at_column="reviewed_at", change="~")
