"""Issue 11 §4: dates and numbers make sense, refused in plain words next to their field, by the form and by the
service alike; Django's default wording never shows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.entries import LabEntry, VisitEntry
from checklists.forms import fields
from checklists.models import Visit
from checklists.services import visits as rules_of_visits
from tests.conftest import all_no, still_the_day
from tests.views.helpers import login
from tests.views.test_visit_new import form_data

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _still_the_day_of_import():
    """The dates above were worked out at import; a run crossing midnight keeps that day."""
    with still_the_day(TODAY):
        yield


def day(offset: int) -> str:
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


# (case, what is typed, the field, the words): the patient was born on 14 Mar 1955.
REFUSALS = [
    (
        "visit in 1900",
        {"visit_date": "1900-01-01"},
        "visit_date",
        "The visit date is before the patient's date of birth (14 Mar 1955).",
    ),
    ("visit tomorrow", {"visit_date": day(1)}, "visit_date", rules_of_visits.VISIT_IN_FUTURE),
    (
        "visit in year 1 (found by the fuzz test: was a 500)",
        {"visit_date": "0001-01-01", "labs_collected_on": "0001-01-01", "next_follow_up_due": "0001-01-02"},
        "visit_date",
        "The visit date is before the patient's date of birth (14 Mar 1955).",
    ),
    (
        "follow-up on the last day of year 9999",
        {"visit_date": day(0), "next_follow_up_due": "9999-12-31", "labs_collected_on": "0001-01-01"},
        "labs_collected_on",
        "Bloods taken more than 30 days before the visit belong to an earlier visit.",
    ),
    ("visit 'yesterday'", {"visit_date": "yesterday"}, "visit_date", fields.NOT_A_DATE),
    ("bloods in 2030", {"labs_collected_on": "2030-01-01"}, "labs_collected_on", rules_of_visits.BLOODS_AFTER_VISIT),
    (
        "bloods after the visit",
        {"visit_date": day(-2), "labs_collected_on": day(-1)},
        "labs_collected_on",
        rules_of_visits.BLOODS_AFTER_VISIT,
    ),
    (
        "bloods 31 days before",
        {"labs_collected_on": day(-31)},
        "labs_collected_on",
        "Bloods taken more than 30 days before the visit belong to an earlier visit.",
    ),
    (
        "follow-up in 9999",
        {"next_follow_up_due": "9999-12-31"},
        "next_follow_up_due",
        rules_of_visits.FOLLOW_UP_TOO_FAR,
    ),
    (
        "follow-up before the visit",
        {"next_follow_up_due": day(-1)},
        "next_follow_up_due",
        rules_of_visits.FOLLOW_UP_BEFORE_VISIT,
    ),
    ("comma decimal", {"calcium_value": "2,6"}, "calcium_value", "Use a decimal point: 2.6"),
    (
        "thousands comma",
        {"alp_value": "1,000"},
        "alp_value",
        "Write the number without a comma (1000), or with a decimal point (1.000).",
    ),
    ("underscore", {"alp_value": "1_000"}, "alp_value", fields.NOT_A_NUMBER),
    ("exponent", {"alp_value": "1e3"}, "alp_value", fields.NOT_A_NUMBER),
    ("Arabic-Indic digits", {"calcium_value": "\u0662\u066b\u0666"}, "calcium_value", fields.NOT_A_NUMBER),
    ("Arabic-Indic with a point", {"calcium_value": "\u0662.\u0666"}, "calcium_value", fields.NOT_A_NUMBER),
    ("full-width digits", {"calcium_value": "\uff12.\uff16"}, "calcium_value", fields.NOT_A_NUMBER),
    ("minus sign", {"albumin_value": "-40"}, "albumin_value", fields.NOT_A_NUMBER),
    ("infinity", {"albumin_value": "Infinity"}, "albumin_value", fields.NOT_A_NUMBER),
    (
        "too many decimals",
        {"calcium_value": "2.6001"},
        "calcium_value",
        "Use at most 3 digits after the decimal point.",
    ),
]


@pytest.mark.parametrize(("case", "typed", "field", "words"), REFUSALS, ids=[case[0] for case in REFUSALS])
def test_refused_next_to_the_field_and_nothing_saved(nurse, patient, case, typed, field, words):
    data = form_data(**({"visit_date": TODAY.isoformat(), "albumin_value": "40"} | typed))
    response = login(nurse).post(reverse("checklists:visit-new", args=[patient.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [words]
    assert Visit.objects.count() == 0


@pytest.mark.parametrize(
    "typed",
    [
        {"labs_collected_on": day(-30), "calcium_value": "2.4", "albumin_value": "40"},
        {"next_follow_up_due": day(730)},
        {"calcium_value": " 2.45 ", "albumin_value": "40"},
        {"visit_date": "1955-03-14"},
    ],
    ids=["bloods 30 days before", "follow-up in two years", "spaces around a number", "visit on the day of birth"],
)
def test_the_edges_are_accepted(nurse, patient, typed):
    data = form_data(**({"visit_date": TODAY.isoformat()} | typed))
    assert login(nurse).post(reverse("checklists:visit-new", args=[patient.pk]), data).status_code == 302


def test_the_bloods_window_is_a_setting(nurse, patient, settings):
    settings.LABS_MAX_DAYS_BEFORE_VISIT = 7
    data = form_data(visit_date=TODAY.isoformat(), labs_collected_on=day(-8))
    response = login(nurse).post(reverse("checklists:visit-new", args=[patient.pk]), data)
    assert response.context["form"].errors["labs_collected_on"] == [
        "Bloods taken more than 7 days before the visit belong to an earlier visit."
    ]


def test_the_service_refuses_the_same_dates_whoever_calls_it(nurse, patient):
    labs = (LabEntry("alp", __import__("decimal").Decimal("100"), "U/L", collected_on=datetime.date(2030, 1, 1)),)
    entry = VisitEntry(
        visit_date=datetime.date(1900, 1, 1), answers=all_no(), labs=labs, next_follow_up_due=datetime.date(9999, 1, 1)
    )
    with pytest.raises(services.ImplausibleDates) as refused:
        services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    assert set(refused.value.problems) == {"visit_date", "labs_collected_on", "next_follow_up_due"}
    assert Visit.objects.count() == 0


def test_a_baseline_alp_is_a_number_in_the_same_words(nurse):
    from tests.views.test_patient_new import VALID

    response = login(nurse).post(reverse("checklists:patient-new"), VALID | {"baseline_alp": "1,5"})
    assert response.context["form"].errors["baseline_alp"] == ["Use a decimal point: 1.5"]


def test_no_page_shows_djangos_default_wording(nurse, patient):
    data = form_data(visit_date="", calcium_value="x", pain_score="99", answer_nausea="maybe")
    content = login(nurse).post(reverse("checklists:visit-new", args=[patient.pk]), data).content.decode()
    for default in (
        "This field is required",
        "Enter a number.",
        "Enter a valid",
        "Select a valid choice",
        "Ensure this",
    ):
        assert default not in content
