"""Worklist: every open flag of the user's clinics, emergencies first, oldest first, with its wait."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.models import Flag
from tests.conftest import make_patient, visit_entry

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db
URL = reverse("checklists:worklist")


def raise_flags(patient, user, **symptoms):
    return services.record_visit(patient=patient, seen_by=user, entry=visit_entry(**symptoms))


def test_emergencies_first_then_oldest_first(nurse, patient, clinic_a):
    raise_flags(patient, nurse, nausea=True)  # prompt review
    older = raise_flags(make_patient(clinic_a, mrn="A2"), nurse, limb_weakness=True)
    newer = raise_flags(make_patient(clinic_a, mrn="A3"), nurse, numbness=True)
    Flag.objects.filter(visit=older).update(raised_at=timezone.now() - datetime.timedelta(hours=3))
    response = login(nurse).get(URL)
    rows = response.context["rows"]
    assert [row.flag.visit for row in rows[:2]] == [older, newer]
    assert rows[-1].flag.code == "HYPERCALCAEMIA_SYMPTOMS"
    older_wait = rows[0].wait
    assert older_wait.overdue is True and older_wait.time_frame == "1 hour"
    assert rows[1].wait.overdue is False
    content = response.content.decode()
    assert "Overdue" in content and "of 1 hour" in content and "of 7 days" in content


def test_reviewed_and_other_clinics_flags_are_not_listed(nurse, patient, patient_b, outsider):
    visit = raise_flags(patient, nurse, limb_weakness=True, nausea=True)
    raise_flags(patient_b, outsider, numbness=True)
    services.review_flag(
        flag=visit.flags.get(code="MSCC_SUSPECTED"), by=nurse, action="mscc_coordinator", note="Called"
    )
    rows = login(nurse).get(URL).context["rows"]
    assert [row.flag.code for row in rows] == ["HYPERCALCAEMIA_SYMPTOMS"]


def test_filters_by_tier_and_clinic(nurse, patient, clinic_a, clinic_b):
    raise_flags(patient, nurse, limb_weakness=True, nausea=True)
    client = login(nurse)
    rows = client.get(URL, {"tier": "prompt_review"}).context["rows"]
    assert [row.flag.code for row in rows] == ["HYPERCALCAEMIA_SYMPTOMS"]
    assert client.get(URL, {"clinic": clinic_a.pk}).context["page"].paginator.count == 2
    refused = client.get(URL, {"clinic": clinic_b.pk})  # not the nurse's clinic: the filter is ignored
    assert refused.status_code == 200 and refused.context["filters"].errors


def test_paginated(nurse, clinic_a):
    for number in range(26):
        raise_flags(make_patient(clinic_a, mrn=f"P{number}"), nurse, limb_weakness=True, nausea=True)
    client = login(nurse)
    assert len(client.get(URL).context["rows"]) == 50
    assert len(client.get(URL, {"page": 2}).context["rows"]) == 2


def test_navigation_shows_open_counts_per_tier_on_every_page(nurse, patient):
    raise_flags(patient, nurse, limb_weakness=True, nausea=True, confusion=True)
    content = login(nurse).get(reverse("checklists:patient-list")).content.decode()
    assert '<span class="visually-hidden">Emergency:</span> 1' in content
    assert '<span class="visually-hidden">Urgent:</span> 1' in content
    assert '<span class="visually-hidden">Prompt review:</span> 1' in content
    assert '<span class="visually-hidden">Routine:</span> 0' in content


def test_empty_worklist_says_so(nurse):
    assert b"Nothing is waiting for review." in login(nurse).get(URL).content


def test_anonymous_goes_to_login(client):
    assert_login_redirect(client.get(URL), URL)


def test_wrong_method(nurse):
    assert login(nurse).post(URL).status_code == 405


def test_a_login_without_a_clinic_is_refused(homeless):
    assert login(homeless).get(URL).status_code == 403


def test_each_row_links_its_patient_visit_and_review_returning_to_the_filtered_list(nurse, patient):
    visit = raise_flags(patient, nurse, nausea=True)
    flag = visit.flags.get()
    content = login(nurse).get(URL, {"tier": "prompt_review"}).content.decode()
    assert f'href="{reverse("checklists:patient-detail", args=[patient.pk])}"' in content
    assert f'href="{reverse("checklists:visit-detail", args=[visit.pk])}"' in content
    review = reverse("checklists:flag-review", args=[flag.pk])
    assert f'href="{review}?next=%2F%3Ftier%3Dprompt_review"' in content


@pytest.mark.parametrize(
    ("filters", "expected"),
    [({}, 2), ({"tier": "emergency"}, 1), ({"tier": "routine"}, 0), ({"clinic": "A"}, 2), ({"tier": "x"}, 2)],
)
def test_the_open_flags_are_counted_once_for_the_navigation_and_the_list(
    nurse, patient, clinic_a, patient_b, outsider, filters, expected
):
    """Issue 13: the navigation's counts per tier also give the list its count (one aggregate over open flags,
    not two), and the count stays right under every filter; a voided visit's and another clinic's flags stay out."""
    raise_flags(patient, nurse, limb_weakness=True, nausea=True)  # an emergency and a prompt review
    raise_flags(patient_b, outsider, nausea=True)
    voided = raise_flags(make_patient(clinic_a, mrn="V1"), nurse, nausea=True)
    services.void_visit(visit=voided, by=nurse, reason="wrong patient")  # its prompt-review flag stays open
    query = {key: clinic_a.pk if value == "A" else value for key, value in filters.items()}
    client = login(nurse)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, query)
    assert response.context["page"].paginator.count == expected
    assert len(response.context["rows"]) == expected
    aggregates = [q["sql"] for q in captured if "COUNT(" in q["sql"] and "checklists_flag" in q["sql"]]
    assert len(aggregates) == (2 if "clinic" in filters else 1), aggregates
    assert '<span class="visually-hidden">Prompt review:</span> 1' in response.content.decode()
