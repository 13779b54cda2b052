"""Clinic admins manage their own clinic's staff; every admin change is audited, read-only."""

import pytest
from django.urls import reverse
from user_sessions.models import Session

from checklists.models import User
from tests.conftest import PASSWORD, make_user
from tests.views.helpers import login

pytestmark = pytest.mark.django_db
USERS = reverse("admin:checklists_user_changelist")


def account(**data):
    return {
        "username": "new.nurse",
        "first_name": "Neil",
        "last_name": "New",
        "email": "",
        "role": "nurse",
        "is_active": "on",
        "password": "a-long-first-password-2026",
    } | data


def test_a_clinic_admin_sees_only_their_clinics_staff(clinic_admin, nurse, outsider):
    listing = login(clinic_admin).get(USERS)
    assert set(listing.context["cl"].queryset) == {clinic_admin, nurse}
    change = reverse("admin:checklists_user_change", args=[outsider.pk])
    assert login(clinic_admin).get(change).status_code == 302  # not found for them


def test_a_superuser_sees_everyone(clinic_admin, nurse, outsider):
    root = User.objects.create_superuser("root", password=PASSWORD)
    assert set(login(root).get(USERS).context["cl"].queryset) == {clinic_admin, nurse, outsider, root}


def test_create_an_account_in_the_admins_clinic(clinic_admin, clinic_a, clinic_b):
    client = login(clinic_admin)
    form = client.get(reverse("admin:checklists_user_add")).context["adminform"].form
    assert list(form.fields["clinic"].queryset) == [clinic_a]
    response = client.post(reverse("admin:checklists_user_add"), account(clinic=clinic_a.pk))
    assert response.status_code == 302
    created = User.objects.get(username="new.nurse")
    assert list(created.clinics.all()) == [clinic_a]
    assert [g.name for g in created.groups.all()] == ["Clinic staff"]
    assert created.check_password("a-long-first-password-2026") and created.is_staff is False
    refused = client.post(reverse("admin:checklists_user_add"), account(username="x", clinic=clinic_b.pk))
    assert "Select a valid choice" in refused.content.decode()


def test_make_someone_a_clinic_admin(clinic_admin, nurse):
    url = reverse("admin:checklists_user_change", args=[nurse.pk])
    login(clinic_admin).post(url, account(username=nurse.username, role="clinic_admin", password=""))
    nurse.refresh_from_db()
    assert [g.name for g in nurse.groups.all()] == ["Clinic admin"] and nurse.is_staff
    assert nurse.memberships.get().role == "clinic_admin"


def test_deactivating_ends_the_persons_sessions(clinic_admin, nurse):
    nurse_browser = login(nurse)
    assert nurse_browser.get(reverse("checklists:worklist")).status_code == 200
    url = reverse("admin:checklists_user_change", args=[nurse.pk])
    login(clinic_admin).post(url, account(username=nurse.username, is_active="", password=""))
    nurse.refresh_from_db()
    assert nurse.is_active is False
    assert nurse_browser.get(reverse("checklists:worklist")).status_code == 302
    assert not Session.objects.filter(user=nurse).exists()


def test_accounts_are_never_deleted(clinic_admin, nurse):
    assert (
        login(clinic_admin).post(reverse("admin:checklists_user_delete", args=[nurse.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_every_admin_change_is_in_the_audit_log_read_only(clinic_admin, nurse):
    url = reverse("admin:checklists_user_change", args=[nurse.pk])
    client = login(clinic_admin)
    client.post(url, account(username=nurse.username, first_name="Adaline", password=""))
    log = client.get(reverse("admin:checklists_historicaluser_changelist")).content.decode()
    assert "first_name: Ada → Adaline" in log and "Cy Admin" in log
    record = nurse.history.first()
    detail = reverse("admin:checklists_historicaluser_change", args=[record.pk])
    assert client.post(detail, {"first_name": "Forged"}).status_code == 403
    assert (
        client.post(reverse("admin:checklists_historicaluser_delete", args=[record.pk]), {"post": "yes"}).status_code
        == 403
    )
    history = client.get(reverse("admin:checklists_user_history", args=[nurse.pk]))
    assert history.status_code == 200 and b"Revert" not in history.content


def test_staff_cannot_see_the_audit_log(nurse, clinic_a):
    other = make_user("plain.staff", clinic_a)
    other.is_staff = True  # even with admin access, staff are not clinic admins
    other.save()
    assert login(other).get(reverse("admin:checklists_historicaluser_changelist")).status_code == 403


@pytest.mark.parametrize("page", ["historicalmembership", "historicaluser", "historicallabreferencerange"])
def test_the_audit_lists_run_a_fixed_number_of_queries(clinic_admin, clinic_a, page):
    """Issue 12 §3: 40 rows took 107 queries; now the same few at 5 rows as at 40, at most 10."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from checklists.models import LabReferenceRange, Membership
    from tests.conftest import make_user

    client = login(clinic_admin)
    url = reverse(f"admin:checklists_{page}_changelist")
    counts = []
    for total in (5, 40):
        while Membership.history.count() < total:
            number = Membership.history.count()
            person = make_user(f"person{number}", clinic_a, first_name=f"P{number}")
            person.first_name = f"Q{number}"
            person.save()  # a change, so the row has a previous version to compare with
            LabReferenceRange.objects.update_or_create(
                clinic=clinic_a, analyte="alp", unit="U/L", defaults={"lower": 40, "upper": 100 + number}
            )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 10, counts
