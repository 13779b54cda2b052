"""People can be removed and their sessions ended; everyone sees and ends their own sessions (issue 8)."""

import pytest
from django.test import Client
from django.urls import reverse
from user_sessions.models import Session

from checklists.models import Membership
from checklists.views.account import PASSWORD_CHANGED, session_ref
from tests.conftest import PASSWORD, make_user
from tests.views.helpers import login

pytestmark = pytest.mark.django_db
USERS = reverse("admin:checklists_user_changelist")
WORKLIST = reverse("checklists:worklist")


def signed_in_browser(user, agent="Firefox on the clinic PC") -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    assert client.get(WORKLIST).status_code == 200
    return client


def admin_action(admin, action, *people):
    return admin.post(USERS, {"action": action, "_selected_action": [person.pk for person in people]})


def test_a_removed_person_is_refused_at_their_next_request(clinic_admin, nurse):
    browser = signed_in_browser(nurse)
    admin_action(login(clinic_admin), "remove_from_my_clinics", nurse)
    assert not Membership.objects.filter(user=nurse).exists()
    assert browser.get(WORKLIST).status_code == 302  # signed out
    browser.post(reverse("login"), {"username": nurse.username, "password": PASSWORD})
    assert browser.get(WORKLIST).status_code == 403  # and a member of no clinic
    assert nurse.memberships.count() == 0 and Membership.history.filter(history_type="-").count() == 1


def test_ending_all_sessions_keeps_the_account_active(clinic_admin, nurse):
    first, second = signed_in_browser(nurse, "Phone"), signed_in_browser(nurse, "PC")
    admin_action(login(clinic_admin), "end_all_sessions", nurse)
    assert first.get(WORKLIST).status_code == 302 and second.get(WORKLIST).status_code == 302
    nurse.refresh_from_db()
    assert nurse.is_active
    assert signed_in_browser(nurse)


def test_an_admin_cannot_act_on_themselves_or_outside_their_clinics(clinic_admin, outsider):
    admin = login(clinic_admin)
    outsider_browser = signed_in_browser(outsider)
    admin_action(admin, "end_all_sessions", outsider)
    admin_action(admin, "remove_from_my_clinics", outsider, clinic_admin)
    assert outsider_browser.get(WORKLIST).status_code == 200
    assert Membership.objects.filter(user__in=[outsider, clinic_admin]).count() == 2


def test_you_see_where_you_are_signed_in_and_end_another_session(nurse):
    phone, pc = signed_in_browser(nurse, "Phone browser"), signed_in_browser(nurse, "Clinic PC browser")
    page = pc.get(reverse("checklists:sessions"))
    text = page.content.decode()
    assert text.count("End this session") == 1 and "This browser" in text and "Sign out here" in text
    keys = list(Session.objects.filter(user=nurse).values_list("session_key", flat=True))
    assert not any(key in text for key in keys)  # a session key is a sign-in: never on a page
    phone_key = Session.objects.get(user=nurse, user_agent="Phone browser").session_key
    pc.post(reverse("checklists:session-end"), {"session": session_ref(phone_key)})
    assert phone.get(WORKLIST).status_code == 302
    assert pc.get(WORKLIST).status_code == 200


def test_you_cannot_end_someone_elses_session(nurse, doctor):
    doctors = signed_in_browser(doctor)
    key = Session.objects.get(user=doctor).session_key
    signed_in_browser(nurse).post(reverse("checklists:session-end"), {"session": session_ref(key)})
    assert doctors.get(WORKLIST).status_code == 200


def test_end_all_other_sessions(nurse):
    phone, pc = signed_in_browser(nurse, "Phone"), signed_in_browser(nurse, "PC")
    pc.post(reverse("checklists:sessions-end-others"))
    assert phone.get(WORKLIST).status_code == 302 and pc.get(WORKLIST).status_code == 200


def test_change_your_own_password(nurse):
    pc, phone = signed_in_browser(nurse, "PC"), signed_in_browser(nurse, "Phone")
    new = "a-much-longer-new-password-2026"
    wrong_old = pc.post(
        reverse("checklists:password-change"),
        {"old_password": "wrong", "new_password1": new, "new_password2": new},
    )
    assert "Your old password was entered incorrectly" in wrong_old.content.decode()
    weak = pc.post(
        reverse("checklists:password-change"),
        {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"},
    )
    assert "at least 12 characters" in weak.content.decode()
    done = pc.post(
        reverse("checklists:password-change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert PASSWORD_CHANGED in done.content.decode()
    nurse.refresh_from_db()
    assert nurse.check_password(new)
    assert Session.objects.filter(user=nurse).count() == 1  # the others are gone from "Where you are signed in"
    assert pc.get(WORKLIST).status_code == 200 and phone.get(WORKLIST).status_code == 302


def test_the_account_page(nurse):
    page = login(nurse).get(reverse("checklists:account")).content.decode()
    assert "Clinic A" in page and "Change your password" in page and "Turn it on" in page


def test_a_persons_sessions_are_found_by_their_user_not_by_scanning(nurse, doctor, django_assert_num_queries):
    from checklists.services.people import end_sessions

    for _ in range(3):
        signed_in_browser(doctor)
    signed_in_browser(nurse)
    with django_assert_num_queries(1):  # one indexed delete, whatever the number of sessions
        assert end_sessions(nurse) == 1
    assert Session.objects.filter(user=doctor).count() == 3


def test_a_new_account_made_by_a_clinic_admin_is_in_their_clinic_only(clinic_admin, clinic_a):
    make_user("colleague", clinic_a)
    assert set(login(clinic_admin).get(USERS).context["cl"].queryset.values_list("username", flat=True)) == {
        "admin.cy",
        "colleague",
    }


def test_removing_a_shared_person_from_your_clinic_leaves_their_other_clinics_work_alone(clinic_admin, nurse, clinic_b):
    """Found in review: removal ended every session, even of someone still at work in another clinic."""
    Membership.objects.create(user=nurse, clinic=clinic_b)
    browser = signed_in_browser(nurse)
    admin_action(login(clinic_admin), "remove_from_my_clinics", nurse)
    assert list(nurse.clinics.all()) == [clinic_b]
    assert browser.get(WORKLIST).status_code == 200
