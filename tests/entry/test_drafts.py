"""Issue 11 §3: drafts are honest. A draft is never shown as "No flags": every page says its screen is not
complete and how many safety questions it has not asked; its flags are live; each person and clinic can list
drafts; Enter never saves."""

import re

import pytest
from django.urls import reverse

from checklists import selectors, services
from checklists.entries import VisitEntry
from checklists.models import Visit
from checklists.rules.flags import SAFETY_FLOOR
from checklists.rules.tiers import Tier
from tests.conftest import TODAY, make_user
from tests.views.helpers import login
from tests.views.test_visit_new import form_data

pytestmark = pytest.mark.django_db
NOTHING_ASKED = f"Draft \u2014 screen not complete: {len(SAFETY_FLOOR)} safety questions not asked"


def draft(patient, by, **answers):
    return services.record_visit(patient=patient, seen_by=by, entry=VisitEntry(visit_date=TODAY, answers=answers))


def test_a_draft_with_nothing_asked_says_so_on_every_page_and_never_no_flags(nurse, patient, clinic_a):
    visit = draft(patient, nurse)
    client = login(nurse)
    pages = {
        "visit": client.get(visit.get_absolute_url()).content.decode(),
        "patient": client.get(patient.get_absolute_url()).content.decode(),
        "printout": client.get(reverse("checklists:visit-summary", args=[visit.pk])).content.decode(),
    }
    for name, content in pages.items():
        assert NOTHING_ASKED in content, name
        assert Tier.NONE.meaning not in content, name  # "Nothing in this visit needs review beyond usual care."
    assert "No flags" not in pages["visit"]
    csv = b"".join(client.get(reverse("checklists:visits-export", args=[clinic_a.pk])).streaming_content).decode()
    row = csv.splitlines()[1]
    assert f"draft,,draft: screen not complete,{len(SAFETY_FLOOR)}," in row


def test_a_draft_counts_only_the_safety_questions_left_unasked(nurse, patient):
    answered = dict.fromkeys(sorted(SAFETY_FLOOR)[:10], "no")
    visit = draft(patient, nurse, **answered)
    content = login(nurse).get(visit.get_absolute_url()).content.decode()
    assert f"screen not complete: {len(SAFETY_FLOOR) - 10} safety questions not asked" in content


def test_a_drafts_flags_are_live_and_on_the_worklist(nurse, patient):
    visit = draft(patient, nurse, limb_weakness="yes")
    assert [flag.code for flag in selectors.worklist(nurse)] == ["MSCC_SUSPECTED"]
    content = login(nurse).get(visit.get_absolute_url()).content.decode()
    assert "Suspected spinal cord compression" in content and "screen not complete" in content


def test_my_drafts_and_the_clinics_drafts(nurse, doctor, outsider, patient, patient_b):
    mine, theirs = draft(patient, nurse), draft(patient, doctor)
    other_clinic = draft(patient_b, outsider)
    services.record_visit(patient=patient, seen_by=nurse, entry=VisitEntry(visit_date=TODAY, complete=False))
    url = reverse("checklists:drafts")
    own = login(nurse).get(url).context["rows"]
    everyone = login(nurse).get(url, {"whose": "clinic"}).context["rows"]
    assert mine in [visit for visit, _note in own] and theirs not in [visit for visit, _note in own]
    assert {mine, theirs} <= {visit for visit, _note in everyone}
    assert other_clinic not in {visit for visit, _note in everyone}
    assert all(note.startswith("Draft") for _visit, note in everyone)


def test_complete_visits_and_voided_drafts_are_not_drafts(nurse, patient):
    voided = draft(patient, nurse)
    services.void_visit(visit=voided, by=nurse, reason="Wrong patient")
    assert not selectors.drafts(nurse, mine=True).exists()


def test_enter_in_a_field_only_redraws_the_form(nurse, patient):
    data = form_data(notes="Typed, then Enter", stay="1")
    response = login(nurse).post(reverse("checklists:visit-new", args=[patient.pk]), data)
    assert response.status_code == 200 and "Typed, then Enter" in response.content.decode()
    assert Visit.objects.count() == 0


def test_the_drafts_page_is_another_users_too(clinic_a, patient):
    stranger = make_user("no.drafts", clinic_a)
    assert login(stranger).get(reverse("checklists:drafts")).context["rows"] == []


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ({"calcium_value": "3.9", "albumin_value": "40"}, "\u203c 1 emergency"),
        ({"calcium_value": "3,9", "albumin_value": "40"}, "Some values not accepted: flags incomplete"),
        ({}, "\u2713 No flags"),
    ],
    ids=["emergency", "refused value", "nothing"],
)
def test_the_phones_one_line_summary_never_says_no_flags_beside_a_refused_value(nurse, patient, typed, line):
    """Issue 11 review: "3,9" is refused (a comma), so the calcium is left out; the folded line must not say
    "No flags" while the value it left out may be an emergency."""
    response = login(nurse).post(reverse("checklists:visit-preview", args=[patient.pk]), form_data(**typed))
    summary = re.search(r'data-summary="([^"]*)"', response.content.decode()).group(1)
    assert summary.startswith(line)
    if typed.get("calcium_value") == "3,9":
        assert "No flags" not in summary
