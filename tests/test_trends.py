"""Trends on the patient page: corrected calcium in the clinic's unit, ALP and pain, as SVG with a table."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from checklists import selectors, services
from checklists.entries import VisitEntry
from checklists.rules.labs import HYPERCALCAEMIA_CUTOFFS
from checklists.trends import patient_trends
from tests.conftest import TODAY, all_no, lab

from .views.helpers import login

pytestmark = pytest.mark.django_db


def add(patient, nurse, days_ago, labs=(), pain=None, **yes):
    entry = VisitEntry(
        visit_date=TODAY - datetime.timedelta(days=days_ago), answers=all_no(**yes), labs=tuple(labs), pain_score=pain
    )
    return services.record_visit(patient=patient, seen_by=nurse, entry=entry)


@pytest.fixture
def history(patient, nurse):
    add(
        patient,
        nurse,
        90,
        [lab("calcium_total", "2.40", "mmol/L"), lab("albumin", "40", "g/L"), lab("alp", "100", "U/L")],
        pain=2,
    )
    add(patient, nurse, 60, [lab("calcium_total", "12.1", "mg/dL"), lab("albumin", "3.4", "g/dL")], pain=5)
    add(
        patient,
        nurse,
        30,
        [lab("calcium_total", "10.9", "mg/dL"), lab("alp", "520", "U/L")],
        pain=8,
        bone_pain_new=True,
    )
    return patient


def charts(patient, unit="mmol/L"):
    visits = list(selectors.patient_visits(patient))
    return {chart.key: chart for chart in patient_trends(visits, unit, {})}


def test_calcium_in_the_clinics_unit_converting_the_other_unit(history):
    calcium = charts(history)["calcium"]
    assert [(p.value, p.flagged, p.note) for p in calcium.points] == [
        (Decimal("2.4"), False, ""),
        (Decimal("3.14"), True, "reported in mg/dL"),  # corrected 12.6 mg/dL, shown converted
        (Decimal("2.72"), True, "not corrected: no albumin"),  # measured 10.9 mg/dL, converted
    ]
    assert calcium.band.upper == Decimal("2.55")
    # The CTCAE grade lines are the rules' cut-offs, high and low, kept when near the data (grade 4 low is not).
    assert [label for _value, label in calcium.lines] == [
        "grade 2 >2.9",
        "grade 3 >3.1",
        "grade 4 >3.4",
        "grade 2 <2.0",
        "grade 3 <1.75",
    ]
    assert [value for value, _label in calcium.lines] == [
        *HYPERCALCAEMIA_CUTOFFS[("total", "mmol/L")],
        Decimal("2.0"),
        Decimal("1.75"),
    ]


def test_calcium_in_mg_dl_for_a_mg_dl_clinic(history):
    calcium = charts(history, "mg/dL")["calcium"]
    assert [p.value for p in calcium.points] == [Decimal("9.6"), Decimal("12.6"), Decimal("10.9")]
    assert "grade 2 <8.0" in [label for _value, label in calcium.lines]
    assert calcium.band.upper == Decimal("10.2")


def test_alp_and_pain_mark_the_points_that_raised_a_flag(history):
    found = charts(history)
    assert [(p.value, p.flagged) for p in found["alp"].points] == [(Decimal("100"), False), (Decimal("520"), True)]
    assert [(p.value, p.flagged) for p in found["pain"].points] == [(2, False), (5, False), (8, True)]


def test_points_are_placed_in_time_order_inside_the_plot(history):
    calcium = charts(history)["calcium"]
    xs = [p.x for p in calcium.plotted]
    assert xs == sorted(xs) and xs[0] == calcium.left and xs[-1] == calcium.right
    higher, lower = calcium.plotted[1], calcium.plotted[0]
    assert higher.y < lower.y  # SVG y grows downwards


def test_patient_page_renders_accessible_svg_and_tables(nurse, history):
    content = login(nurse).get(reverse("checklists:patient-detail", args=[history.pk])).content.decode()
    assert content.count('role="img"') == 3
    assert '<title id="chart-calcium-title">Corrected calcium over time</title>' in content
    assert "3 results from" in content and "2 raised a flag" in content
    assert "Corrected calcium as a table" in content
    assert 'class="trend-point flagged"' in content
    assert "<script" not in content.split("Trends")[1].split("</section>")[0]


def test_no_results_yet(nurse, patient):
    found = charts(patient)
    assert found["calcium"].points == []
    assert found["calcium"].description == "No corrected calcium results yet."
