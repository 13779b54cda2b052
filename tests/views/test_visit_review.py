"""Issue 15 §3: review a visit in one pass: its open flags with its labs, scores, answers and actions; one action
and note for the flags ticked, each flag keeping its own review row; the same rules as one by one."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checklists import services
from checklists.models import Flag
from checklists.models.choices import FlagStatus, ReviewAction
from checklists.services.reviews import NONE_TICKED, NOT_THIS_VISITS, NOTE_REQUIRED
from tests.conftest import lab, visit_entry

from .helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def sick_visit(patient, nurse):
    """Leg weakness, back pain and a high calcium: three flags, two of them serious."""
    entry = visit_entry(
        limb_weakness=True,
        spinal_pain_new=True,
        labs=[lab("calcium_total", "3.2", "mmol/L"), lab("albumin", "40", "g/L"), lab("alp", "300", "U/L")],
    )
    return services.record_visit(patient=patient, seen_by=nurse, entry=entry)


def url(visit):
    return reverse("checklists:visit-review", args=[visit.pk])


def test_the_page_shows_the_open_flags_ticked_with_the_labs_answers_and_actions(sick_visit, doctor):
    page = login(doctor).get(url(sick_visit)).content.decode()
    for flag in sick_visit.flags.filter(status=FlagStatus.OPEN):
        assert f'value="{flag.pk}" id="flag-{flag.pk}" checked' in page
    assert "Corrected calcium" in page and "3.2" in page  # the labs, with their grade
    assert "Answered yes" in page and "Recommended actions" in page


def test_one_action_and_note_reviews_every_ticked_flag_each_with_its_own_review(sick_visit, doctor):
    open_flags = list(sick_visit.flags.filter(status=FlagStatus.OPEN))
    assert len(open_flags) >= 3
    answer = login(doctor).post(
        url(sick_visit),
        {"flags": [flag.pk for flag in open_flags], "action": ReviewAction.MSCC_COORDINATOR, "note": "MRI tonight"},
    )
    assert answer.status_code == 302 and answer.url == sick_visit.get_absolute_url()
    for flag in Flag.objects.filter(pk__in=[flag.pk for flag in open_flags]):
        assert (flag.status, flag.reviewed_by, flag.review_note) == (FlagStatus.REVIEWED, doctor, "MRI tonight")
        assert flag.history.filter(status=FlagStatus.REVIEWED, history_user=doctor).count() == 1
    assert not sick_visit.flags.filter(status=FlagStatus.OPEN).exists()


def test_only_the_ticked_flags_are_reviewed(sick_visit, doctor):
    emergency = sick_visit.flags.get(tier="emergency")
    login(doctor).post(url(sick_visit), {"flags": [emergency.pk], "action": ReviewAction.ADMITTED, "note": "Admitted"})
    assert list(sick_visit.flags.filter(status=FlagStatus.REVIEWED)) == [emergency]


def test_a_serious_flag_still_needs_the_note_and_what_was_typed_stays(sick_visit, doctor):
    ids = list(sick_visit.flags.values_list("pk", flat=True))
    answer = login(doctor).post(url(sick_visit), {"flags": ids, "action": ReviewAction.ADMITTED, "note": "  "})
    assert answer.status_code == 200
    assert answer.context["form"].errors["note"] == [NOTE_REQUIRED]
    assert answer.context["form"]["action"].value() == ReviewAction.ADMITTED
    assert re.search(r'<input[^>]*value="admitted"[^>]*checked', answer.content.decode())  # drawn as chosen
    assert not sick_visit.flags.filter(status=FlagStatus.REVIEWED).exists()


def test_nothing_ticked_is_refused_next_to_the_list(sick_visit, doctor):
    answer = login(doctor).post(url(sick_visit), {"action": ReviewAction.ADMITTED, "note": "x"})
    assert answer.context["form"].errors["flags"] == [NONE_TICKED]


def test_a_nurse_reviews_only_what_she_may_and_is_told_who_signs_off_the_rest(sick_visit, ward_nurse):
    client = login(ward_nurse)
    page = client.get(url(sick_visit))
    offered = {flag.pk for flag, _ticked in page.context["rows"]}
    assert offered == set(sick_visit.flags.exclude(tier__in=["urgent", "emergency"]).values_list("pk", flat=True))
    assert "Open flags you cannot sign off" in page.content.decode()
    emergency = sick_visit.flags.get(tier="emergency")
    refused = client.post(url(sick_visit), {"flags": [emergency.pk], "action": "admitted", "note": "x"})
    assert refused.status_code == 200 and "flags" in refused.context["form"].errors  # not a choice she has
    with pytest.raises(services.NotPermitted):  # and the service refuses whoever calls
        services.review_visit(visit=sick_visit, flag_ids=[emergency.pk], by=ward_nurse, action="admitted", note="x")
    emergency.refresh_from_db()
    assert emergency.status == FlagStatus.OPEN


def test_the_service_refuses_another_visits_flag(sick_visit, doctor, patient, nurse):
    other = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(nausea=True))
    with pytest.raises(services.ReviewRefused) as refused:
        services.review_visit(
            visit=sick_visit, flag_ids=[other.flags.first().pk], by=doctor, action="seen_in_clinic", note="x"
        )
    assert refused.value.problems == {"flags": NOT_THIS_VISITS}


def test_a_flag_reviewed_meanwhile_records_nothing_and_keeps_what_was_typed(sick_visit, doctor):
    ids = list(sick_visit.flags.values_list("pk", flat=True))
    first = sick_visit.flags.get(tier="emergency")
    services.review_flag(flag=first, by=doctor, action="admitted", note="Admitted by the registrar")
    answer = login(doctor).post(url(sick_visit), {"flags": ids, "action": "mscc_coordinator", "note": "typed note"})
    assert answer.status_code == 200
    assert "Reviewed or withdrawn meanwhile" in answer.context["form"].errors["flags"][0]
    assert "typed note" in answer.content.decode()
    assert first.pk not in {flag.pk for flag, _ticked in answer.context["rows"]}
    assert sick_visit.flags.filter(status=FlagStatus.REVIEWED).count() == 1


def test_another_clinics_visit_is_not_found(sick_visit, outsider):
    assert login(outsider).get(url(sick_visit)).status_code == 404


def test_anonymous_goes_to_login(sick_visit, client):
    assert_login_redirect(client.get(url(sick_visit)), url(sick_visit))


def test_the_visit_page_offers_the_one_pass_review(sick_visit, doctor):
    page = login(doctor).get(sick_visit.get_absolute_url()).content.decode()
    open_count = sick_visit.flags.filter(status=FlagStatus.OPEN).count()
    assert f'href="{url(sick_visit)}">Review this visit ({open_count} open)' in page


def test_the_page_runs_a_fixed_number_of_queries(sick_visit, doctor):
    client = login(doctor)
    with CaptureQueriesContext(connection) as captured:
        client.get(url(sick_visit))
    assert len(captured) <= 12, "\n".join(query["sql"][:150] for query in captured.captured_queries)
