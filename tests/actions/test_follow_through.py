"""Issue 15 §4: a recommended action is done only when someone marks it done (who, when, how) or when a linked
imaging order is completed; an order moves ordered → booked → done, or cancelled with a reason; open actions past
their time frame are on the worklist; the patient page lists every open action."""

import dataclasses
import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from checklists import selectors, services
from checklists.entries import ImagingEntry
from checklists.models import Recommendation
from checklists.models.choices import ImagingStatus
from checklists.rules import recommendations as r
from checklists.rules.tiers import Tier
from checklists.services import actions
from tests.conftest import make_patient, visit_entry
from tests.views.helpers import assert_login_redirect, login

pytestmark = pytest.mark.django_db
RECORDED = datetime.datetime(2026, 11, 20, 18, 2, tzinfo=datetime.UTC)
MARK_DONE = "checklists:action-done"


def record(patient, nurse, imaging=(), **yes):
    entry = dataclasses.replace(visit_entry(**yes), imaging=tuple(imaging))
    with freeze_time(RECORDED):
        return services.record_visit(patient=patient, seen_by=nurse, entry=entry)


@pytest.fixture
def mscc(patient, nurse):
    """Leg weakness with an MRI ordered at the visit: the MRI action is "ordered", not done."""
    return record(
        patient, nurse, imaging=[ImagingEntry("mri", "Whole spine", "urgent", "cord compression?")], limb_weakness=True
    )


def mri_action(visit) -> Recommendation:
    return visit.recommendations.get(code=r.MRI_WHOLE_SPINE_24H)


def test_an_ordered_mri_is_not_done(mscc, doctor):
    action = mri_action(mscc)
    assert action.satisfied and action.done_at is None
    page = login(doctor).get(mscc.get_absolute_url()).content.decode()
    assert "Ordered, not yet done" in page and "Mark done…" in page


def test_marking_done_records_who_when_how_and_says_so(mscc, doctor):
    action = mri_action(mscc)
    at = RECORDED + datetime.timedelta(hours=3)
    with freeze_time(at):
        answer = login(doctor).post(
            reverse("checklists:action-done", args=[action.pk]), {"how": "MRI booked for tonight"}
        )
    assert answer.status_code == 302
    action.refresh_from_db()
    assert (action.done_by, action.done_at, action.done_how) == (doctor, at, "MRI booked for tonight")
    assert action.history.first().history_user == doctor
    page = login(doctor).get(mscc.get_absolute_url()).content.decode()
    assert "MRI booked for tonight — Bea Doctor" in page


def test_how_is_needed_next_to_the_field_and_nothing_is_saved(mscc, doctor):
    action = mri_action(mscc)
    answer = login(doctor).post(reverse("checklists:action-done", args=[action.pk]), {"how": "   "})
    assert answer.status_code == 200 and answer.context["form"].errors["how"] == [actions.HOW_NEEDED]
    with pytest.raises(services.ActionRefused):  # the service refuses whoever calls
        services.mark_action_done(recommendation=action, by=doctor, how="")
    action.refresh_from_db()
    assert action.done_at is None


def test_an_action_is_marked_done_once(mscc, doctor, nurse):
    action = mri_action(mscc)
    services.mark_action_done(recommendation=action, by=doctor, how="MRI done")
    with pytest.raises(services.ActionRefused, match="already marked done by Bea Doctor"):
        services.mark_action_done(recommendation=action, by=nurse, how="again")


def test_the_database_refuses_done_without_how(mscc, doctor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(pk=mri_action(mscc).pk).update(done_at=RECORDED, done_by=doctor, done_how="")


def test_an_order_moves_ordered_booked_done_and_completes_the_action_it_was_for(mscc, doctor):
    order = mscc.imaging_orders.get()
    booked = services.move_order(
        order=order, by=doctor, status=ImagingStatus.BOOKED, booked_for=datetime.date(2026, 11, 21)
    )
    assert (booked.status, booked.booked_for, booked.status_by) == ("booked", datetime.date(2026, 11, 21), doctor)
    assert mri_action(mscc).done_at is None  # booked is not done
    services.move_order(order=order, by=doctor, status=ImagingStatus.DONE)
    action = mri_action(mscc)
    assert action.done_at is not None and action.done_by == doctor and action.done_by_order == order
    assert action.done_how == "MRI Whole spine done"


def test_a_done_ct_does_not_complete_a_whole_spine_mri(patient, nurse, doctor):
    visit = record(patient, nurse, imaging=[ImagingEntry("ct", "Chest", "routine", "")], limb_weakness=True)
    services.move_order(order=visit.imaging_orders.get(), by=doctor, status=ImagingStatus.DONE)
    assert mri_action(visit).done_at is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "booked"}, "booked_for", actions.DATE_NEEDED),
        ({"status": "booked", "booked_for": "2031-01-01"}, "booked_for", actions.DATE_IMPLAUSIBLE),
        ({"status": "cancelled", "reason": " "}, "reason", actions.REASON_NEEDED),
    ],
)
def test_order_refusals_are_next_to_the_field_and_what_was_typed_stays(mscc, doctor, data, field, message):
    order = mscc.imaging_orders.get()
    answer = login(doctor).post(reverse("checklists:order-status", args=[order.pk]), data)
    assert answer.status_code == 200 and answer.context["form"].errors[field] == [message]
    order.refresh_from_db()
    assert order.status == ImagingStatus.ORDERED


def test_a_done_or_cancelled_order_is_final(mscc, doctor):
    order = services.move_order(order=mscc.imaging_orders.get(), by=doctor, status="cancelled", reason="Done elsewhere")
    assert order.cancel_reason == "Done elsewhere"
    with pytest.raises(services.ActionRefused, match="An order that is cancelled cannot be marked done"):
        services.move_order(order=order, by=doctor, status=ImagingStatus.DONE)


def test_the_database_refuses_a_cancel_without_a_reason_and_a_booking_without_a_date(mscc):
    order = mscc.imaging_orders.get()
    for values in ({"status": "cancelled", "cancel_reason": ""}, {"status": "booked", "booked_for": None}):
        with pytest.raises(IntegrityError), transaction.atomic():
            type(order).objects.filter(pk=order.pk).update(**values)


def test_another_clinics_staff_reach_neither(mscc, outsider):
    client = login(outsider)
    assert client.get(reverse("checklists:action-done", args=[mri_action(mscc).pk])).status_code == 404
    assert client.get(reverse("checklists:order-status", args=[mscc.imaging_orders.get().pk])).status_code == 404
    with pytest.raises(services.NotPermitted):
        services.mark_action_done(recommendation=mri_action(mscc), by=outsider, how="x")


def test_anonymous_goes_to_login(mscc, client):
    url = reverse("checklists:action-done", args=[mri_action(mscc).pk])
    assert_login_redirect(client.get(url), url)


def test_the_patient_page_lists_every_open_action(mscc, patient, doctor):
    page = login(doctor).get(patient.get_absolute_url()).content.decode()
    assert "Open actions" in page and mri_action(mscc).text in page
    services.mark_action_done(recommendation=mri_action(mscc), by=doctor, how="MRI done")
    page = login(doctor).get(patient.get_absolute_url()).content.decode()
    assert mri_action(mscc).text not in page.split("open-actions-heading")[1].split("</section>")[0]


def worklist_rows(doctor, at):
    with freeze_time(at):
        return login(doctor).get(reverse("checklists:worklist")).context["rows"]


def test_open_actions_past_their_time_frame_are_worklist_rows_after_the_flags_of_their_tier(patient, nurse, doctor):
    mscc = record(patient, nurse, limb_weakness=True, spinal_pain_new=True)  # MRI within 24 h, for the emergency
    rows = worklist_rows(doctor, RECORDED + datetime.timedelta(hours=23))
    assert not any(hasattr(row, "action") for row in rows)
    rows = worklist_rows(doctor, RECORDED + datetime.timedelta(hours=25))
    kinds = [(row.tier, "action" if hasattr(row, "action") else row.flag.code) for row in rows]
    assert kinds[:3] == [
        (Tier.EMERGENCY, "MSCC_SUSPECTED"),
        (Tier.EMERGENCY, "action"),  # the overdue MRI, with the emergencies, before the urgent flags
        (Tier.URGENT, "SPINAL_METASTASIS_PAIN"),
    ]
    assert rows[1].action.code == r.MRI_WHOLE_SPINE_24H
    with freeze_time(RECORDED + datetime.timedelta(hours=25)):
        page = login(doctor).get(reverse("checklists:worklist")).content.decode()
    assert "Action not done: Contact the MSCC coordinator now" in page
    # the row's links: the patient, the visit, and marking the action done
    for link in (patient.get_absolute_url(), mscc.get_absolute_url(), reverse(MARK_DONE, args=[rows[1].action.pk])):
        assert f'href="{link}"' in page
    services.mark_action_done(recommendation=mri_action(mscc), by=doctor, how="MRI done")
    rows = worklist_rows(doctor, RECORDED + datetime.timedelta(hours=25))
    assert r.MRI_WHOLE_SPINE_24H not in [row.action.code for row in rows if hasattr(row, "action")]


def test_the_worklist_with_overdue_actions_over_two_pages_keeps_its_query_budget(clinic_a, nurse, doctor):
    for number in range(30):  # 60 open flags: two pages, and 30 overdue MRIs
        patient = make_patient(clinic_a, mrn=f"Q{number}")
        record(patient, nurse, limb_weakness=True, nausea=True)
    client = login(doctor)
    with freeze_time(RECORDED + datetime.timedelta(hours=25)):
        for page in (1, 2):
            with CaptureQueriesContext(connection) as captured:
                rows = client.get(reverse("checklists:worklist"), {"page": page}).context["rows"]
            assert len(captured) <= 12, len(captured)
            codes = {row.action.code for row in rows if hasattr(row, "action")}
            # The MRIs (emergency) after the emergencies on page 1; the calcium checks after the prompt-review
            # flags, which end on page 2.
            assert codes == ({r.MRI_WHOLE_SPINE_24H} if page == 1 else {r.CHECK_CALCIUM}), (page, codes)


def test_the_cap_on_overdue_actions_never_drops_an_emergencys_for_older_ones(clinic_a, nurse, doctor, monkeypatch):
    monkeypatch.setattr(selectors, "OVERDUE_ACTIONS_SHOWN", 2)
    for number in range(3):  # older calcium checks, prompt review
        record(make_patient(clinic_a, mrn=f"OLD{number}"), nurse, nausea=True)
    with freeze_time(RECORDED + datetime.timedelta(hours=1)):
        services.record_visit(
            patient=make_patient(clinic_a, mrn="NEW"), seen_by=nurse, entry=visit_entry(limb_weakness=True)
        )
    shown = selectors.overdue_actions(doctor, RECORDED + datetime.timedelta(hours=30))
    assert len(shown) == 2 and shown[0].action.code == r.MRI_WHOLE_SPINE_24H and shown[0].tier == Tier.EMERGENCY


def test_an_edit_never_changes_or_removes_an_order_booked_or_done_since(mscc, doctor, nurse):
    order = mscc.imaging_orders.get()
    services.move_order(order=order, by=doctor, status=ImagingStatus.DONE)
    mscc.refresh_from_db()
    without_the_mri = dataclasses.replace(visit_entry(limb_weakness=True, visit_date=mscc.visit_date), imaging=())
    with pytest.raises(services.OrderMovedOn, match="MRI Whole spine was done since the visit was logged"):
        services.update_visit(visit=mscc, entry=without_the_mri, lock_version=mscc.lock_version, by=nurse)
    order.refresh_from_db()
    assert order.status == ImagingStatus.DONE
    same_mri = dataclasses.replace(
        without_the_mri,
        imaging=(ImagingEntry("mri", "Whole spine", "urgent", "cord compression?"),),
        notes="Seen again",
    )
    services.update_visit(visit=mscc, entry=same_mri, lock_version=mscc.lock_version, by=nurse)  # kept as it was: fine


def test_the_worklists_filters_apply_to_the_overdue_actions(patient, nurse, doctor, clinic_a, clinic_b):
    record(patient, nurse, limb_weakness=True)
    client = login(doctor)
    with freeze_time(RECORDED + datetime.timedelta(hours=25)):
        for query, shown in (
            ({"tier": "emergency"}, True),
            ({"tier": "urgent"}, False),
            ({"clinic": clinic_a.pk}, True),
        ):
            rows = client.get(reverse("checklists:worklist"), query).context["rows"]
            assert any(hasattr(row, "action") for row in rows) is shown, query
