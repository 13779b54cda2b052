"""Migrations 0015 and 0018 turn what older code left into what the issue 10 rules expect, and keep each change in
the history: a flag an edit had *closed* becomes withdrawn with who and when; a baseline ALP gets a date; a
retired built-in item is asked again (0015); a review the old carry-over copied opens again, an urgent flag loses
its stable-until date, and old flags get the severity they were raised with (0018)."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps as installed
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from checklists.apps import protect_history

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("checklists", "0014_flag_withdrawal_carry_over_unit_confirmation")]
AFTER = [("checklists", "0015_withdraw_closed_flags_and_more")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0014():
    yield from at(BEFORE)


@pytest.fixture
def at_0017():
    yield from at([("checklists", "0017_reference_range_limit_labels")])


def at(targets):
    state = migrate(targets)
    yield state
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    # `migrate` re-installs the history triggers after a schema change (SQLite rebuilds drop them); so do we.
    protect_history(None, installed.get_app_config("checklists"), connection.alias)


def test_closed_flags_become_withdrawn_with_who_and_when_and_the_change_is_kept(at_0014):
    apps = at_0014
    User = apps.get_model("checklists", "User")
    nurse = User.objects.create(username="ada")
    editor = User.objects.create(username="bea")
    clinic = apps.get_model("checklists", "Clinic").objects.create(name="A")
    patient = apps.get_model("checklists", "Patient").objects.create(
        clinic=clinic,
        mrn="1",
        family_name="S",
        given_name="J",
        date_of_birth=datetime.date(1950, 1, 1),
        primary_cancer="breast",
        baseline_alp=Decimal("300"),
    )
    # Its own checklist: an earlier transactional test may have emptied the seeded one.
    version = apps.get_model("checklists", "ChecklistVersion").objects.create(number=900, published_at=timezone.now())
    apps.get_model("checklists", "ChecklistItem").objects.create(
        version=version, key="nausea", section="high_calcium", wording="Nausea?", order=1, is_builtin=True
    )
    visit = apps.get_model("checklists", "Visit").objects.create(
        patient=patient, clinic=clinic, seen_by=nurse, checklist_version=version, visit_date=datetime.date(2026, 1, 5)
    )
    closed_at = timezone.now() - datetime.timedelta(days=3)
    flag = apps.get_model("checklists", "Flag").objects.create(
        visit=visit,
        code="MSCC_SUSPECTED",
        tier="emergency",
        title="Suspected spinal cord compression",
        reason="r",
        rules_version="2026.1",
        raised_at=closed_at - datetime.timedelta(days=1),
        status="closed",
        withdrawn_at=closed_at,
    )
    apps.get_model("checklists", "HistoricalFlag").objects.create(
        id=flag.pk,
        visit_id=visit.pk,
        code=flag.code,
        tier=flag.tier,
        title=flag.title,
        reason="r",
        sources=[],
        rules_version="2026.1",
        status="closed",
        raised_at=flag.raised_at,
        withdrawn_at=closed_at,
        triggered_by=[],
        history_date=closed_at,
        history_type="~",
        history_user=editor,
    )
    apps.get_model("checklists", "ChecklistItem").objects.filter(version_id=version.pk).update(retired=True)

    after = migrate(AFTER)
    flag = after.get_model("checklists", "Flag").objects.get(pk=flag.pk)
    assert (flag.status, flag.withdrawn_by_id, flag.withdrawn_at) == ("withdrawn", editor.pk, closed_at)
    assert flag.withdrawn_reason.startswith("No longer raised after an edit")
    assert after.get_model("checklists", "HistoricalFlag").objects.filter(id=flag.pk, status="withdrawn").exists()
    patient = after.get_model("checklists", "Patient").objects.get(pk=patient.pk)
    assert patient.baseline_alp_measured_on == patient.created_at.date()
    assert (
        after.get_model("checklists", "HistoricalPatient")
        .objects.filter(id=patient.pk, baseline_alp_measured_on__isnull=False)
        .exists()
    )
    item = after.get_model("checklists", "ChecklistItem").objects.get(version_id=version.pk, key="nausea")
    assert item.retired is False


def old_visit(apps, **evaluation):
    User = apps.get_model("checklists", "User")
    nurse, doctor = User.objects.create(username="ada"), User.objects.create(username="bea")
    clinic = apps.get_model("checklists", "Clinic").objects.create(name="A")
    patient = apps.get_model("checklists", "Patient").objects.create(
        clinic=clinic,
        mrn="1",
        family_name="S",
        given_name="J",
        date_of_birth=datetime.date(1950, 1, 1),
        primary_cancer="breast",
    )
    version = apps.get_model("checklists", "ChecklistVersion").objects.create(number=901, published_at=timezone.now())
    visit = apps.get_model("checklists", "Visit").objects.create(
        patient=patient,
        clinic=clinic,
        seen_by=nurse,
        checklist_version=version,
        visit_date=datetime.date(2026, 1, 5),
        evaluation=evaluation,
    )
    for key in ("nausea", "vomiting", "hair_loss"):
        item = apps.get_model("checklists", "ChecklistItem").objects.create(
            version=version, key=key, section="high_calcium", wording=key, order=1, is_builtin=True
        )
        apps.get_model("checklists", "ScreenAnswer").objects.create(visit=visit, item=item, answer="yes")
    return visit, doctor


def test_copied_reviews_open_urgent_stable_dates_clear_and_old_flags_get_their_severity(at_0017):
    apps = at_0017
    visit, doctor = old_visit(apps, alp={"ctcae_grade": 3, "ratio": 7.8, "reference": "ULN"})
    Flag = apps.get_model("checklists", "Flag")
    common = {"visit": visit, "title": "t", "reason": "r", "rules_version": "2026.1", "raised_at": timezone.now()}
    reviewed = {"status": "reviewed", "reviewed_by": doctor, "reviewed_at": timezone.now()}
    copied = Flag.objects.create(
        code="ALP_ELEVATED",
        tier="prompt_review",
        review_action="known_stable",
        review_note="Known and stable",
        stable_until=datetime.date(2026, 3, 1),
        **common,
        **reviewed,
    )
    symptoms = Flag.objects.create(code="HYPERCALCAEMIA_SYMPTOMS", tier="prompt_review", **common)
    urgent = Flag.objects.create(
        code="ALTERED_MENTAL_STATUS",
        tier="urgent",
        review_action="seen_in_clinic",
        review_note="Seen",
        stable_until=datetime.date(2026, 3, 1),
        **common,
        **reviewed,
    )

    after = migrate([("checklists", "0018_legacy_reviews_and_severity")])
    Flag, HistoricalFlag = after.get_model("checklists", "Flag"), after.get_model("checklists", "HistoricalFlag")
    copied = Flag.objects.get(pk=copied.pk)
    assert (copied.status, copied.reviewed_by_id, copied.review_action, copied.stable_until) == ("open", None, "", None)
    assert copied.grade == 3
    assert Flag.objects.get(pk=symptoms.pk).triggered_by == ["nausea", "vomiting"]  # hair loss raises no flag
    urgent = Flag.objects.get(pk=urgent.pk)
    assert (urgent.status, urgent.stable_until, urgent.reviewed_by_id) == ("reviewed", None, doctor.pk)
    assert HistoricalFlag.objects.filter(id=copied.pk, history_change_reason__startswith="A known-and-stable").exists()
