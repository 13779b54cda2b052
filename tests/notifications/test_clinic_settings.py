"""Issue 15 §2: clinic admins set their clinic's on-call and escalation contacts in the admin, send a test
notification, and read their clinics' notification log; each flag's page shows who was told."""

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.models import Delivery, Notification, Purpose, User
from checklists.notifications.contacts import NOT_AN_ADDRESS, WEBHOOK_NOT_HTTPS
from checklists.services import notifications
from tests.conftest import visit_entry
from tests.views.helpers import login

from .conftest import FAILING_EMAIL, ON_CALL

pytestmark = pytest.mark.django_db


def clinic_form(clinic, **data):
    return {
        "name": clinic.name,
        "calcium_unit": clinic.calcium_unit,
        "on_call_emails": "",
        "escalation_emails": "",
        "webhook_url": "",
    } | data


def test_a_clinic_admin_sets_the_contacts_and_a_typo_is_refused_next_to_the_field(clinic_admin, clinic_a):
    client = login(clinic_admin)
    url = reverse("admin:checklists_clinic_change", args=[clinic_a.pk])
    typed = {"on_call_emails": "oncall@hospital.example\noncall-at-hospital", "webhook_url": "http://pager.example/"}
    refused = client.post(url, clinic_form(clinic_a, **typed))
    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert errors["on_call_emails"] == [NOT_AN_ADDRESS.format(address="oncall-at-hospital")]
    assert errors["webhook_url"] == [WEBHOOK_NOT_HTTPS]
    assert "oncall-at-hospital" in refused.content.decode()  # what was typed stays
    saved = client.post(url, clinic_form(clinic_a, on_call_emails="a@hospital.example, b@hospital.example"))
    assert saved.status_code == 302
    clinic_a.refresh_from_db()
    assert clinic_a.on_call == ["a@hospital.example", "b@hospital.example"]
    assert clinic_a.history.first().history_user == clinic_admin


def test_send_a_test_notification_to_every_contact_through_the_worker(clinic_admin, told_clinic):
    client = login(clinic_admin)
    answer = client.post(
        reverse("admin:checklists_clinic_changelist"),
        {"action": "send_test_notification", "_selected_action": [told_clinic.pk]},
        follow=True,
    )
    assert "A test notification for Clinic A was queued for 3 contact(s)" in answer.content.decode()
    tests = Notification.objects.filter(purpose=Purpose.TEST)
    assert tests.count() == 3 and set(tests.values_list("status", flat=True)) == {Delivery.PENDING}
    assert all("no action needed" in message.body for message in tests)


def test_a_clinic_with_nobody_to_tell_is_told_so(clinic_a):
    with pytest.raises(notifications.NoContacts, match="nobody would be told"):
        notifications.send_test(clinic=clinic_a)


def test_the_notification_log_shows_only_the_admins_clinics(clinic_admin, told_clinic, clinic_b, nurse, canary_patient):
    services.record_visit(patient=canary_patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    clinic_b.on_call_emails = "b-oncall@hospital.example"
    clinic_b.save()
    notifications.send_test(clinic=clinic_b)
    mine, theirs = Notification.objects.get(recipient=ON_CALL[0]), Notification.objects.get(clinic=clinic_b)
    client = login(clinic_admin)
    listing = client.get(reverse("admin:checklists_notification_changelist")).content.decode()
    assert ON_CALL[0] in listing and "b-oncall@hospital.example" not in listing
    assert client.get(reverse("admin:checklists_notification_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:checklists_notification_change", args=[theirs.pk])).status_code in (302, 404)
    nurse_client = login(nurse)  # staff who are not clinic admins do not read the log in the admin
    assert nurse_client.get(reverse("admin:checklists_notification_changelist")).status_code in (302, 403)


def test_each_flag_shows_who_was_told_and_whether_it_reached_them(told_clinic, nurse, canary_patient, settings):
    visit = services.record_visit(patient=canary_patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    flag = visit.flags.get(tier="emergency")
    first, second = Notification.objects.filter(flag=flag)
    notifications.deliver(first.pk)
    settings.EMAIL_BACKEND = FAILING_EMAIL
    notifications.deliver(second.pk)
    page = login(nurse).get(reverse("checklists:flag-review", args=[flag.pk])).content.decode()
    first.refresh_from_db()
    at = timezone.localtime(first.created_at).strftime("%H:%M:%S")
    assert f"on-call ({first.recipient}) emailed {at},\n      delivered" in page
    assert "not delivered yet</strong>: attempt 1 failed (ConnectionRefusedError" in page


def test_an_emergency_in_a_clinic_without_on_call_says_nobody_was_notified(patient, nurse):
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    flag = visit.flags.get(tier="emergency")
    page = login(nurse).get(reverse("checklists:flag-review", args=[flag.pk])).content.decode()
    assert "Nobody was notified of this flag: the clinic has no on-call contact set." in page


def test_a_superuser_sees_every_clinics_log(told_clinic, clinic_b):
    notifications.send_test(clinic=told_clinic)
    root = User.objects.create_superuser("root", password="a long enough password 1")
    listing = login(root).get(reverse("admin:checklists_notification_changelist")).content.decode()
    assert ON_CALL[0] in listing
