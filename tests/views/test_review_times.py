"""Issue 12 §5: time to review, measured per tier and month, at a glance, and exported."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from checklists import review_times
from checklists.models import Flag
from checklists.rules.tiers import Tier
from tests.conftest import make_patient, visit_entry

from .helpers import login

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)


def flag_in(visit, code, tier, raised, reviewed=None, status=None, by=None):
    """A flag raised (and reviewed) at these times: the report reads only the stored times."""
    withdrawn = status == "withdrawn"
    return Flag.objects.create(
        withdrawn_at=raised if withdrawn else None,
        withdrawn_by=visit.seen_by if withdrawn else None,
        withdrawn_reason="entered in error" if withdrawn else "",
        visit=visit,
        code=code,
        tier=tier,
        title=code.title(),
        reason="r",
        rules_version="t",
        raised_at=raised,
        status=status or ("reviewed" if reviewed else "open"),
        reviewed_at=reviewed,
        reviewed_by=by if reviewed else None,
        review_action="patient_advised" if reviewed else "",
        review_note="seen" if reviewed else "",
    )


@pytest.fixture
def november(patient, nurse, doctor):
    from checklists import services

    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry())
    raised = NOW - datetime.timedelta(days=5)
    minutes = datetime.timedelta(minutes=1)
    # Emergencies reviewed after 20, 40 and 90 minutes: two of three within the hour.
    for number, waited in enumerate((20, 40, 90)):
        flag_in(visit, f"E{number}", "emergency", raised, raised + waited * minutes, by=doctor)
    flag_in(visit, "E_OPEN", "emergency", NOW - datetime.timedelta(hours=2))  # open, overdue
    flag_in(visit, "U_OPEN", "urgent", NOW - datetime.timedelta(hours=2))  # open, not yet overdue
    flag_in(visit, "W", "urgent", raised, status="withdrawn")
    # Reviewed 30 hours late, then withdrawn by an edit: the late review still counts (review finding).
    late = flag_in(visit, "U_LATE", "urgent", raised, raised + datetime.timedelta(hours=30), by=doctor)
    Flag.objects.filter(pk=late.pk).update(
        status="withdrawn", withdrawn_at=NOW, withdrawn_by=nurse, withdrawn_reason="entered in error"
    )
    return visit


def row(rows, tier, month=datetime.date(2026, 11, 1)):
    return next(r for r in rows if r.tier == tier and r.month == month)


def test_the_report_counts_reviews_in_time_median_90th_percentile_open_and_overdue(november, clinic_a):
    rows = review_times.report([clinic_a], NOW)
    assert len(rows) == 12 * 4
    emergency = row(rows, Tier.EMERGENCY)
    # In time: 2 of the 4 that can be judged (3 reviewed, 1 open past its hour), not 2 of 3.
    assert (emergency.raised, emergency.reviewed, emergency.in_time, emergency.in_time_share) == (4, 3, 2, 50)
    assert (emergency.median, emergency.p90) == (datetime.timedelta(minutes=40), datetime.timedelta(minutes=90))
    assert (emergency.still_open, emergency.overdue) == (1, 1)
    urgent = row(rows, Tier.URGENT)
    assert (urgent.raised, urgent.reviewed, urgent.still_open, urgent.overdue, urgent.closed_otherwise) == (
        3,
        1,
        1,
        0,
        1,
    )
    assert (urgent.in_time, urgent.in_time_share, urgent.median) == (0, 0, datetime.timedelta(hours=30))
    assert row(rows, Tier.ROUTINE).in_time is None  # no clock for routine flags
    assert row(rows, Tier.EMERGENCY, datetime.date(2026, 10, 1)).raised == 0


def test_the_median_of_an_even_number_of_waits_is_the_mean_of_the_middle_two(patient, nurse, doctor, clinic_a):
    from checklists import services

    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry())
    raised = NOW - datetime.timedelta(days=2)
    for number, minutes in enumerate((10, 110)):
        flag_in(visit, f"P{number}", "prompt_review", raised, raised + datetime.timedelta(minutes=minutes), by=doctor)
    assert row(review_times.report([clinic_a], NOW), Tier.PROMPT_REVIEW).median == datetime.timedelta(minutes=60)


def test_a_flag_dated_in_a_month_after_now_is_left_out_not_a_500(patient, nurse, clinic_a):
    from checklists import services

    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry())
    flag_in(visit, "AHEAD", "urgent", NOW + datetime.timedelta(days=20))
    assert row(review_times.report([clinic_a], NOW), Tier.URGENT).raised == 0


def test_another_clinics_flags_and_voided_visits_stay_out(november, clinic_a, clinic_b, outsider, nurse):
    from checklists import services

    other = services.record_visit(patient=make_patient(clinic_b, mrn="B1"), seen_by=outsider, entry=visit_entry())
    flag_in(other, "B", "emergency", NOW - datetime.timedelta(days=1))
    voided = services.record_visit(patient=november.patient, seen_by=nurse, entry=visit_entry())
    services.void_visit(visit=voided, by=nurse, reason="wrong patient")
    flag_in(voided, "V", "emergency", NOW - datetime.timedelta(days=1))
    assert row(review_times.report([clinic_a], NOW), Tier.EMERGENCY).raised == 4


def test_the_page_shows_the_chart_and_table_and_exports_them(november, nurse, outsider):
    with freeze_time(NOW):
        client = login(nurse)
        page = client.get(reverse("checklists:review-times"))
        export = client.get(reverse("checklists:review-times-export"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Review times — Clinic A" in content
    assert "Nov 2026, Emergency: 50% of 4 reviewed within 1 hour" in content  # the bar's label
    assert "2 (50%)" in content and "40 min" in content and "1 h 30 min" in content
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    emergency = next(r for r in rows if r["month"] == "2026-11" and r["tier"] == "Emergency")
    assert (emergency["reviewed in time"], emergency["median time to review (hours)"], emergency["overdue"]) == (
        "2",
        "0.7",
        "1",
    )
    assert export["Content-Disposition"].startswith("attachment")
    # Another clinic's member sees their own clinic, never clinic A's (an id of another clinic is ignored).
    with freeze_time(NOW):
        theirs = login(outsider).get(reverse("checklists:review-times"), {"clinic": november.clinic.pk})
    assert "Review times — Clinic B" in theirs.content.decode()


def test_the_worklist_shows_how_long_each_recent_review_took(november, nurse):
    with freeze_time(NOW):
        page = login(nurse).get(reverse("checklists:worklist")).content.decode()
    assert "Recently reviewed" in page
    assert "1 h 30 min" in page and "Late" in page  # the 90-minute emergency review
    assert "20 min" in page


@pytest.mark.parametrize("flags", [3, 60])
def test_the_report_runs_a_fixed_number_of_queries(patient, nurse, doctor, flags, django_assert_num_queries):
    from checklists import services

    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry())
    raised = timezone.now() - datetime.timedelta(days=3)
    for number in range(flags):
        flag_in(visit, f"F{number}", "urgent", raised, raised + datetime.timedelta(hours=number % 30), by=doctor)
    client = login(nurse)
    with django_assert_num_queries(REPORT_QUERIES):
        assert client.get(reverse("checklists:review-times")).status_code == 200


REPORT_QUERIES = 8  # the same at 3 and at 60 flags: the flags are read in one query


@pytest.mark.parametrize(
    ("tier", "waited", "in_time"),
    [
        ("emergency", datetime.timedelta(hours=1), 1),
        ("emergency", datetime.timedelta(hours=1, seconds=1), 0),
        ("urgent", datetime.timedelta(hours=24), 1),
        ("urgent", datetime.timedelta(hours=24, seconds=1), 0),
        ("prompt_review", datetime.timedelta(days=7), 1),
        ("prompt_review", datetime.timedelta(days=7, seconds=1), 0),
    ],
)
def test_a_review_at_exactly_the_time_frame_is_in_time(patient, nurse, doctor, clinic_a, tier, waited, in_time):
    from checklists import services

    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry())
    raised = NOW - datetime.timedelta(days=8)
    flag_in(visit, "EDGE", tier, raised, raised + waited, by=doctor)
    assert row(review_times.report([clinic_a], NOW), Tier(tier), datetime.date(2026, 11, 1)).in_time == in_time
