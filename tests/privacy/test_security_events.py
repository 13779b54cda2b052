"""The security event log: sign-ins, refusals, prints and exports, one structured record each (issue 9)."""

import csv
import datetime
import io
import json
import logging

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from checklists.models import SecurityAction, SecurityEvent
from tests.conftest import PASSWORD, make_user
from tests.views.helpers import login, verify_second_factor

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


def actions() -> list[str]:
    return list(SecurityEvent.objects.order_by("pk").values_list("action", flat=True))


def test_sign_in_failure_sign_out_and_lockout(nurse):
    client = Client(REMOTE_ADDR="10.0.0.7")
    client.post(LOGIN, {"username": nurse.username, "password": "wrong"})
    client.post(LOGIN, {"username": nurse.username, "password": PASSWORD})
    client.post(reverse("logout"))
    assert actions() == ["sign_in_failed", "sign_in", "sign_out"]
    failed, signed_in, _out = SecurityEvent.objects.order_by("pk")
    assert failed.user == nurse and failed.ip_address == "10.0.0.7" and len(failed.request_id) == 12
    assert signed_in.user == nurse
    for _ in range(5):
        Client(REMOTE_ADDR="10.0.0.8").post(LOGIN, {"username": nurse.username, "password": "wrong"})
    assert actions().count("locked_out") == 1 and actions().count("sign_in_failed") == 6


def test_an_unknown_username_is_recorded_without_the_name(db):
    Client().post(LOGIN, {"username": "Jane Patient-Name", "password": "x"})
    event = SecurityEvent.objects.get()
    assert (event.action, event.user) == ("sign_in_failed", None)
    assert "Jane" not in json.dumps([str(value) for value in SecurityEvent.objects.values().get().values()])


def test_another_clinics_record_is_a_404_and_an_event(outsider, visit):
    response = login(outsider).get(visit.get_absolute_url())
    assert response.status_code == 404
    event = SecurityEvent.objects.get(action=SecurityAction.DENIED_OTHER_CLINIC)
    assert (event.user, event.object_type, event.object_id, event.clinic) == (
        outsider,
        "visit",
        str(visit.pk),
        visit.clinic,
    )


def test_a_record_that_does_not_exist_is_a_plain_404(nurse):
    assert login(nurse).get(reverse("checklists:visit-detail", args=[987654])).status_code == 404
    assert not SecurityEvent.objects.filter(action=SecurityAction.DENIED_OTHER_CLINIC).exists()


def test_a_role_refusal_is_an_event(homeless):
    assert login(homeless).get(reverse("checklists:worklist")).status_code == 403
    assert SecurityEvent.objects.filter(action=SecurityAction.DENIED_ROLE, user=homeless).count() == 1


def test_a_nurse_refused_the_sign_off_of_an_emergency_is_an_event(ward_nurse, visit, clinic_a):
    """Issue 9 §3 with issue 12's roles: a role refusal (403) is recorded, with the flag it was about."""
    from checklists import services
    from tests.conftest import visit_entry

    emergency = services.record_visit(patient=visit.patient, seen_by=ward_nurse, entry=visit_entry(limb_weakness=True))
    flag = emergency.flags.get(code="MSCC_SUSPECTED")
    refused = login(ward_nurse).post(
        reverse("checklists:flag-review", args=[flag.pk]), {"action": "mscc_coordinator", "note": "seen"}
    )
    assert refused.status_code == 403
    event = SecurityEvent.objects.get(action=SecurityAction.DENIED_ROLE, user=ward_nurse)
    assert (event.object_type, event.object_id, event.clinic) == ("flag", str(flag.pk), clinic_a)


def test_printing_and_exporting_are_events(nurse, visit, clinic_a):
    client = login(nurse)
    client.get(reverse("checklists:visit-summary", args=[visit.pk]))
    b"".join(client.get(reverse("checklists:visits-export", args=[clinic_a.pk])).streaming_content)
    printed = SecurityEvent.objects.get(action=SecurityAction.PRINT_SUMMARY)
    exported = SecurityEvent.objects.get(action=SecurityAction.EXPORT_VISITS)
    assert (printed.object_type, printed.object_id) == ("visit", str(visit.pk))
    assert (exported.object_type, exported.object_id, exported.clinic) == ("clinic", str(clinic_a.pk), clinic_a)


def test_each_event_is_one_json_log_line_that_input_cannot_forge(db, caplog):
    caplog.set_level(logging.INFO, logger="bonemets.security")
    Client().post(LOGIN, {"username": 'x\r\n2026-01-01 INFO bonemets.security {"action": "sign_in"}', "password": "x"})
    (line,) = [record.getMessage() for record in caplog.records if record.name == "bonemets.security"]
    assert "\n" not in line and "\r" not in line
    record = json.loads(line)
    assert record["action"] == "sign_in_failed"
    assert set(record) == {
        "event",
        "at",
        "user_id",
        "ip",
        "action",
        "object_type",
        "object_id",
        "request_id",
        "clinic_id",
    }
    assert record["at"].endswith("+00:00")  # UTC


def test_events_cannot_be_changed_or_deleted(nurse):
    Client().post(LOGIN, {"username": nurse.username, "password": PASSWORD})
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.update(action="sign_out")
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.all().delete()
    assert actions() == ["sign_in"]


@pytest.fixture
def events(clinic_admin, nurse, outsider, visit):
    """Events of both clinics: a nurse of A prints, a nurse of B probes A's visit, B's nurse signs in."""
    login(nurse).get(reverse("checklists:visit-summary", args=[visit.pk]))
    login(outsider).get(visit.get_absolute_url())
    Client().post(LOGIN, {"username": outsider.username, "password": PASSWORD})
    client = login(clinic_admin)
    verify_second_factor(client, clinic_admin)
    return client


def test_clinic_admins_review_their_clinics_events(events, nurse, outsider, clinic_admin):
    listed = events.get(reverse("admin:checklists_securityevent_changelist")).context["cl"].queryset
    seen = {(event.user_id, event.action) for event in listed}
    assert (nurse.pk, "print_summary") in seen
    assert (outsider.pk, "denied_other_clinic") in seen  # a probe of their clinic's visit
    assert (outsider.pk, "sign_in") not in seen  # another clinic's own business
    by_action = events.get(reverse("admin:checklists_securityevent_changelist"), {"action__exact": "print_summary"})
    assert {event.action for event in by_action.context["cl"].queryset} == {"print_summary"}
    by_user = events.get(reverse("admin:checklists_securityevent_changelist"), {"user__id__exact": nurse.pk})
    assert {event.user_id for event in by_user.context["cl"].queryset} == {nurse.pk}
    # By date: last year's event is left out of today's list.
    recent = SecurityEvent.objects.filter(user=nurse, action="print_summary").first()
    old = SecurityEvent.objects.create(
        at=recent.at - datetime.timedelta(days=400), user=nurse, action="print_summary", clinic=recent.clinic
    )
    today = timezone.localdate()
    by_day = events.get(
        reverse("admin:checklists_securityevent_changelist"),
        {"at__year": today.year, "at__month": today.month, "at__day": today.day},
    )
    shown = {event.pk for event in by_day.context["cl"].queryset}
    everything = events.get(reverse("admin:checklists_securityevent_changelist")).context["cl"].queryset
    assert old.pk in {event.pk for event in everything}
    assert old.pk not in shown and recent.pk in shown


def test_clinic_admins_export_the_events_they_see_and_the_export_is_an_event(events, nurse):
    response = events.get(reverse("admin:checklists_securityevent_export"), {"action__exact": "print_summary"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["action"] for row in rows] == ["print_summary"] and rows[0]["user_id"] == str(nurse.pk)
    assert SecurityEvent.objects.filter(action=SecurityAction.EXPORT_EVENTS).count() == 1


def test_nobody_edits_or_deletes_an_event_in_the_admin(events):
    event = SecurityEvent.objects.first()
    change = reverse("admin:checklists_securityevent_change", args=[event.pk])
    assert events.post(change, {"action": "sign_out"}).status_code == 403
    delete = reverse("admin:checklists_securityevent_delete", args=[event.pk])
    assert events.post(delete, {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk, action=event.action).exists()


def test_staff_cannot_read_the_event_log(clinic_a):
    other = make_user("staff.with.admin", clinic_a)
    other.is_staff = True
    other.save()
    client = login(other)
    assert client.get(reverse("admin:checklists_securityevent_changelist")).status_code == 403


def test_a_password_change_and_a_second_factor_reset_are_events(nurse, clinic_admin, clinic_a):
    client = login(nurse)
    new = "another-long-password-2026"
    client.post(
        reverse("checklists:password-change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    colleague = make_user("admin.two", clinic_a, role="Clinic admin")
    admin = login(clinic_admin)
    admin.post(
        reverse("admin:checklists_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [colleague.pk]},
    )
    changed = SecurityEvent.objects.get(action=SecurityAction.PASSWORD_CHANGED)
    reset = SecurityEvent.objects.get(action=SecurityAction.SECOND_FACTOR_RESET)
    assert changed.user == nurse
    assert (reset.user, reset.object_type, reset.object_id) == (clinic_admin, "user", str(colleague.pk))


def test_what_a_shared_person_does_in_another_clinic_is_not_shown_here(clinic_admin, clinic_a, clinic_b, patient_b):
    """Found in review: events were shown by person alone, so clinic A saw a shared nurse's work in clinic B."""
    from checklists import services
    from checklists.models import Membership
    from tests.conftest import visit_entry

    shared = make_user("shared.nurse", clinic_a)
    Membership.objects.create(user=shared, clinic=clinic_b)
    visit_b = services.record_visit(patient=patient_b, seen_by=shared, entry=visit_entry())
    login(shared).get(reverse("checklists:visit-summary", args=[visit_b.pk]))
    client = login(clinic_admin)
    listed = client.get(reverse("admin:checklists_securityevent_changelist")).context["cl"].queryset
    assert not [event for event in listed if event.clinic_id == clinic_b.pk]
    assert SecurityEvent.objects.filter(action="print_summary", clinic=clinic_b).count() == 1


def test_the_second_factor_and_an_admin_setting_a_password_are_events(clinic_admin, nurse):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from freezegun import freeze_time

    device = TOTPDevice.objects.create(user=clinic_admin, name="Phone", confirmed=True)
    client = Client()
    with freeze_time() as clock:
        client.post(LOGIN, {"username": clinic_admin.username, "password": PASSWORD})
        wrong = "000000" if f"{totp(device.bin_key):06d}" != "000000" else "111111"
        client.post(reverse("checklists:two-factor"), {"code": wrong})
        clock.tick(5)  # django-otp makes a second try wait after a wrong code
        client.post(reverse("checklists:two-factor"), {"code": f"{totp(device.bin_key):06d}"})
    client.post(
        reverse("admin:checklists_user_change", args=[nurse.pk]),
        {"username": nurse.username, "role": "nurse", "is_active": "on", "password": "a-new-password-2026"},
    )
    assert actions()[1:] == ["second_factor_failed", "second_factor_passed", "password_set_by_admin"]
    assert SecurityEvent.objects.get(action="password_set_by_admin").object_id == str(nurse.pk)


def test_an_admin_reaching_for_another_clinics_account_is_recorded(clinic_admin, outsider):
    client = login(clinic_admin)
    client.get(reverse("admin:checklists_user_change", args=[outsider.pk]))
    event = SecurityEvent.objects.get(action="denied_other_clinic")
    assert (event.user, event.object_type, event.object_id) == (clinic_admin, "user", str(outsider.pk))
