"""Each page runs a fixed number of queries (at most 12), the same for 2 visits as for 50 (DESIGN.md §5)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services
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
