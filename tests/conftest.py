import contextlib
import datetime
import importlib
import os
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connections
from django.test import TransactionTestCase
from django.utils import timezone
from freezegun import freeze_time
from hypothesis import HealthCheck, settings

from checklists import history, selectors, services
from checklists.entries import LabEntry, VisitEntry
from checklists.models import CLINIC_ADMIN, CLINIC_STAFF, Clinic, Membership, Role, User
from checklists.rules.vocabulary import SCREEN_ITEMS

# Playwright's sync API runs an event loop in the test thread; Django must allow its ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PASSWORD = "correct-horse-battery"
TODAY = datetime.date(2026, 11, 2)


@contextlib.contextmanager
def still_the_day(day: datetime.date):
    """Keep the clock on `day` (from its current time of day, ticking) for a test whose dates ("tomorrow", "after
    today") were worked out when its module was imported: a run that crosses midnight would otherwise turn
    "tomorrow" into today (it did, in CI at 00:00)."""
    now = timezone.localtime()
    with freeze_time(timezone.make_aware(datetime.datetime.combine(day, now.time())), tick=True):
        yield


# -- CI never skips a test -------------------------------------------------------------------------------

_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped and os.environ.get("CI"):
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if _skipped:
        print(f"\nCI runs every test, but {len(_skipped)} were skipped: {', '.join(_skipped)}")
        session.exitstatus = 1


# -- order: CI also runs the browser tests backwards, so none depends on another running first ----------------


def pytest_addoption(parser):
    parser.addoption("--reverse", action="store_true", help="run the collected tests in reverse order")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Before pytest-django's own (stable) sort, which keeps transactional tests last: they empty the database.
    if config.getoption("--reverse"):
        items.reverse()
    # Concurrency and column lengths are PostgreSQL's: on SQLite those tests are left out (deselected, not
    # skipped), and CI's second run, on PostgreSQL, runs them.
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        only_postgresql = [item for item in items if item.get_closest_marker("postgresql")]
        if only_postgresql:
            config.hook.pytest_deselected(items=only_postgresql)
            items[:] = [item for item in items if not item.get_closest_marker("postgresql")]


# -- emptying the database after a transactional test -----------------------------------------------------

_empty_database = TransactionTestCase._fixture_teardown


def _empty_database_around_history_triggers(self):
    """After a transactional test (the browser tests) pytest-django empties every table, history included, which
    the append-only triggers refuse (as they should anywhere else). Lift them for that, and put them back."""
    tables = history.protected_tables(apps.get_app_config("checklists").get_models())
    aliases = [alias for alias in connections if alias in self.databases]
    for alias in aliases:
        history.unprotect(connections[alias], tables)
    try:
        _empty_database(self)
    finally:
        for alias in aliases:
            history.protect(connections[alias], tables)


TransactionTestCase._fixture_teardown = _empty_database_around_history_triggers


# -- the rows migrations seed, put back after a transactional test emptied them ---------------------------------

# Every data migration that seeds rows: groups, the checklist and sources, test cases and admin permissions.
SEEDS = [
    importlib.import_module("checklists.migrations.0003_seed_groups_checklist_sources"),
    importlib.import_module("checklists.migrations.0006_seed_test_cases_admin_permissions"),
]


@pytest.fixture
def reseeded(transactional_db):
    """A transactional test (live server, threads) empties the database afterwards, so put back what the
    migrations seed (idempotent), all of it: a test must pass whichever transactional test ran before it."""
    for seed in SEEDS:
        seed.seed(apps, None)


# -- personas ------------------------------------------------------------------------------------------------


def make_user(username, clinic=None, role=CLINIC_STAFF, clinic_role=None, **extra):
    """A person in the clinic. Staff are clinicians unless `clinic_role` says otherwise (most tests sign off
    emergencies); clinic admins are clinic admins (issue 12 roles)."""
    # Clinic admins work in the admin site, as save_staff_account sets them up.
    user = User.objects.create_user(username=username, password=PASSWORD, is_staff=role == CLINIC_ADMIN, **extra)
    if clinic is not None:
        clinic_role = clinic_role or (Role.CLINIC_ADMIN if role == CLINIC_ADMIN else Role.CLINICIAN)
        Membership.objects.create(user=user, clinic=clinic, role=clinic_role)
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def clinic_a(db):
    return services.open_clinic(name="Clinic A")


def screen_items(clinic_name="Clinic A"):
    """The items a clinic's new visits are asked (its own current checklist; Clinic A is the fixtures' clinic)."""
    return selectors.current_items(Clinic.objects.get(name=clinic_name))


@pytest.fixture
def clinic_b(db):
    return services.open_clinic(name="Clinic B")


@pytest.fixture
def nurse(clinic_a):
    """A nurse of clinic A, the commonest user."""
    return make_user("nurse.ada", clinic_a, first_name="Ada", last_name="Nurse")


@pytest.fixture
def ward_nurse(clinic_a):
    """A nurse of clinic A in the issue 12 sense: logs visits, may not sign off urgent or emergency flags."""
    return make_user("nurse.ward", clinic_a, clinic_role=Role.NURSE, first_name="Wanda", last_name="Ward")


@pytest.fixture
def doctor(clinic_a):
    return make_user("dr.bea", clinic_a, first_name="Bea", last_name="Doctor")


@pytest.fixture
def clinic_admin(clinic_a):
    return make_user("admin.cy", clinic_a, role=CLINIC_ADMIN, first_name="Cy", last_name="Admin")


@pytest.fixture
def outsider(clinic_b):
    """Staff of clinic B: must never see clinic A's patients."""
    return make_user("outsider.dee", clinic_b, first_name="Dee", last_name="Outsider")


@pytest.fixture
def homeless(db):
    """A login that belongs to no clinic."""
    return make_user("no.clinic")


def make_patient(clinic, mrn="A001", **overrides):
    details = {
        "mrn": mrn,
        "family_name": "Smith",
        "given_name": "Jo",
        "date_of_birth": datetime.date(1955, 3, 14),
        "sex": "female",
        "primary_cancer": "breast",
        "primary_cancer_other": "",
        "known_sites": ["spine_thoracic"],
        "bone_agent": "",
        "baseline_alp": None,
    } | overrides
    return services.create_patient(clinic=clinic, by=None, **details)


@pytest.fixture
def patient(clinic_a):
    return make_patient(clinic_a)


@pytest.fixture
def patient_b(clinic_b):
    return make_patient(clinic_b, mrn="B001", family_name="Other")


# A lesion about to break and an unstable spine: the highest Mirels and SINS bands (a visit with both scores).
HIGH_MIRELS = {"site": "peritrochanteric", "pain": "functional", "lesion": "lytic", "size": "gt_2_3"}
UNSTABLE_SINS = {
    "location": "junctional",
    "pain": "mechanical",
    "bone_lesion": "lytic",
    "alignment": "de_novo_deformity",
    "collapse": "gt_50",
    "posterolateral": "bilateral",
}


def all_no(**yes) -> dict:
    """Answers with every item No except the keys given as True."""
    return {item.key: "yes" if yes.get(item.key) else "no" for item in SCREEN_ITEMS}


def visit_entry(visit_date=TODAY, complete=True, labs=(), **yes) -> VisitEntry:
    return VisitEntry(visit_date=visit_date, answers=all_no(**yes), labs=tuple(labs), complete=complete)


def lab(analyte, value, unit, upper=None, lower=None) -> LabEntry:
    return LabEntry(
        analyte,
        Decimal(value),
        unit,
        None if lower is None else Decimal(lower),
        None if upper is None else Decimal(upper),
    )


@pytest.fixture
def visit(patient, nurse):
    """A complete visit of the patient with new leg weakness: an MSCC emergency."""
    return services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests log in hundreds of times; a deliberately slow hash would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
