"""Each page runs a fixed number of queries (at most 12), the same for 2 visits as for 50 (DESIGN.md §5)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services
from checklists.models import Visit
from tests.conftest import TODAY, lab, make_patient, visit_entry

from .helpers import login

pytestmark = pytest.mark.django_db
BUDGET = 12


def add_visits(patient, user, count):
    for day in range(count):
        entry = visit_entry(
            visit_date=TODAY - datetime.timedelta(days=day * 7),
            labs=[lab("alp", "400", "U/L")],
            limb_weakness=day % 2 == 0,
            nausea=True,
        )
        services.record_visit(patient=patient, seen_by=user, entry=entry)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def sizes(clinic_a, nurse):
    """A patient with 2 visits and one with 50, in clinics with 2 and 50 patients."""
    small, large = make_patient(clinic_a, mrn="S"), make_patient(clinic_a, mrn="L")
    add_visits(small, nurse, 2)
    add_visits(large, nurse, 50)
    return small, large


def test_patient_page(nurse, sizes):
    client = login(nurse)
    counts = [queries(client, reverse("checklists:patient-detail", args=[p.pk])) for p in sizes]
    assert counts[0] == counts[1] <= BUDGET, counts


def test_visit_page(nurse, sizes):
    client = login(nurse)
    counts = [queries(client, reverse("checklists:visit-detail", args=[p.visits.first().pk])) for p in sizes]
    assert counts[0] == counts[1] <= BUDGET, counts


def test_patient_list(nurse, clinic_a, sizes):
    client = login(nurse)
    few = queries(client, reverse("checklists:patient-list"))
    for number in range(48):
        make_patient(clinic_a, mrn=f"M{number}")
    many = queries(client, reverse("checklists:patient-list"))
    assert few == many <= BUDGET, (few, many)


def open_flags(patient, user, total: int):
    """Open `total` flags over visits of the patient (bulk: the count, not the rules, is under test)."""
    from checklists.models import Flag

    visits = [
        services.record_visit(patient=patient, seen_by=user, entry=visit_entry(limb_weakness=True))
        for _ in range(max(1, total // 50))
    ]
    now = visits[0].created_at
    extra = [
        Flag(
            visit=visits[number % len(visits)],
            code=f"TEST_{number}",
            tier="prompt_review",
            title="t",
            reason="r",
            rules_version="x",
            raised_at=now,
        )
        for number in range(total - len(visits))
    ]
    Flag.objects.bulk_create(extra)
    assert Flag.objects.filter(status="open").count() == total
    return visits[0]


@pytest.mark.parametrize("page", ["worklist", "summary"])
def test_worklist_and_summary_with_10_and_500_open_flags(nurse, clinic_a, page):
    client = login(nurse)
    counts = []
    for total, mrn in ((10, "TEN"), (500, "FIVE-HUNDRED")):
        from checklists.models import Flag

        Flag.objects.all().delete()
        visit = open_flags(make_patient(clinic_a, mrn=mrn), nurse, total)
        url = (
            reverse("checklists:worklist")
            if page == "worklist"
            else reverse("checklists:visit-summary", args=[visit.pk])
        )
        counts.append(queries(client, url))
    assert counts[0] == counts[1] <= BUDGET, counts


def lifecycle_flags(patient, user, total: int):
    """A visit with `total` withdrawn flags and `total` flags carried over from one reviewed flag (issue 10)."""
    from django.utils import timezone

    from checklists.models import Flag

    visit = services.record_visit(patient=patient, seen_by=user, entry=visit_entry(nausea=True))
    reviewed = visit.flags.get()
    Flag.objects.filter(pk=reviewed.pk).update(
        status="reviewed", reviewed_by=user, reviewed_at=timezone.now(), review_action="patient_advised"
    )
    now = timezone.now()
    common = {
        "visit": visit,
        "tier": "prompt_review",
        "title": "t",
        "reason": "r",
        "rules_version": "x",
        "raised_at": now,
    }
    Flag.objects.bulk_create(
        [
            Flag(
                code=f"W_{n}", status="withdrawn", withdrawn_by=user, withdrawn_at=now, withdrawn_reason="why", **common
            )
            for n in range(total)
        ]
        + [Flag(code=f"C_{n}", status="carried_over", carried_over_from=reviewed, **common) for n in range(total)]
    )
    return visit


@pytest.mark.parametrize("page", ["visit-detail", "visit-summary", "patient-detail", "withdrawn-flags"])
def test_pages_with_2_and_60_withdrawn_and_carried_over_flags(nurse, clinic_a, page):
    client = login(nurse)
    counts = []
    for total, mrn in ((2, "TWO"), (60, "SIXTY")):
        visit = lifecycle_flags(make_patient(clinic_a, mrn=mrn), nurse, total)
        args = {"visit-detail": [visit.pk], "visit-summary": [visit.pk], "patient-detail": [visit.patient_id]}
        counts.append(queries(client, reverse(f"checklists:{page}", args=args.get(page))))
    assert counts[0] == counts[1] <= BUDGET, counts


@pytest.mark.parametrize("whose", ["mine", "clinic"])
def test_drafts_with_2_and_40_drafts(nurse, doctor, clinic_a, whose):
    """Issue 11: the drafts lists (mine and the clinic's) stay within the budget however many drafts there are."""
    client = login(nurse)
    url = f"{reverse('checklists:drafts')}?whose={whose}"
    counts = []
    for total in (2, 40):
        while Visit.objects.filter(status="draft").count() < total:
            number = Visit.objects.count()
            patient = make_patient(clinic_a, mrn=f"D{number}")
            author = nurse if number % 2 else doctor
            services.record_visit(patient=patient, seen_by=author, entry=visit_entry(complete=False, nausea=True))
        counts.append(queries(client, url))
    assert counts[0] == counts[1] <= BUDGET, counts
