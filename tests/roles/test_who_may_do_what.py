"""Issue 12 §2: who may do what, per clinic. Nurse: log and edit visits, review prompt-review and routine flags.
Clinician: also review urgent and emergency flags and apply a re-evaluation. Clinic admin: everything a
clinician may. Another clinic's member reaches nothing. The services decide, so every caller gets the same."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import Flag, Membership, Role, Visit
from checklists.services import roles
from tests.conftest import lab, make_patient, make_user, visit_entry
from tests.views.helpers import login
from tests.views.test_visit_new import form_data

pytestmark = pytest.mark.django_db
NOTE = "Seen; plan agreed with the patient."


@pytest.fixture
def sick_visit(patient, doctor):
    """A visit that raises an emergency (cord compression), an urgent (calcium) and prompt-review flags."""
    entry = visit_entry(
        limb_weakness=True, nausea=True, labs=[lab("calcium_total", "3.3", "mmol/L"), lab("albumin", "40", "g/L")]
    )
    visit = services.record_visit(patient=patient, seen_by=doctor, entry=entry)
    assert {flag.tier for flag in visit.flags.all()} >= {"emergency", "urgent", "prompt_review"}
    return visit


def flag_of(visit, tier) -> Flag:
    return visit.flags.filter(tier=tier).first()


@pytest.fixture
def people(ward_nurse, doctor, clinic_admin, outsider):
    return {"nurse": ward_nurse, "clinician": doctor, "clinic admin": clinic_admin, "other clinic": outsider}


# (who, tier) -> may they sign the flag off?
SIGN_OFF = {
    ("nurse", "prompt_review"): True,
    ("nurse", "urgent"): False,
    ("nurse", "emergency"): False,
    ("clinician", "prompt_review"): True,
    ("clinician", "urgent"): True,
    ("clinician", "emergency"): True,
    ("clinic admin", "prompt_review"): True,
    ("clinic admin", "urgent"): True,
    ("clinic admin", "emergency"): True,
}


@pytest.mark.parametrize(("who", "tier"), list(SIGN_OFF))
def test_reviewing_through_the_page(people, sick_visit, who, tier):
    flag = flag_of(sick_visit, tier)
    response = login(people[who]).post(
        reverse("checklists:flag-review", args=[flag.pk]), {"action": "patient_advised", "note": NOTE}
    )
    flag.refresh_from_db()
    if SIGN_OFF[(who, tier)]:
        assert response.status_code == 302 and flag.status == "reviewed" and flag.reviewed_by == people[who]
    else:
        assert response.status_code == 403 and flag.status == "open" and flag.reviewed_by is None
        assert "Only a clinician may sign off" in response.content.decode()


@pytest.mark.parametrize(("who", "tier"), list(SIGN_OFF))
def test_reviewing_through_the_service(people, sick_visit, who, tier):
    """The admin, a command or an import call the service: it refuses the same."""
    flag = flag_of(sick_visit, tier)
    if SIGN_OFF[(who, tier)]:
        assert services.review_flag(flag=flag, by=people[who], action="patient_advised", note=NOTE).status == "reviewed"
    else:
        with pytest.raises(services.NotPermitted):
            services.review_flag(flag=flag, by=people[who], action="patient_advised", note=NOTE)
        assert Flag.objects.get(pk=flag.pk).status == "open"


@pytest.mark.parametrize("tier", ["prompt_review", "urgent", "emergency"])
def test_another_clinics_member_reaches_no_flag(people, sick_visit, tier):
    flag = flag_of(sick_visit, tier)
    url = reverse("checklists:flag-review", args=[flag.pk])
    assert login(people["other clinic"]).get(url).status_code == 404
    assert login(people["other clinic"]).post(url, {"action": "patient_advised", "note": NOTE}).status_code == 404
    with pytest.raises(services.NotPermitted):
        services.review_flag(flag=flag, by=people["other clinic"], action="patient_advised", note=NOTE)


def test_the_review_page_tells_a_nurse_who_may_sign_off(people, sick_visit):
    page = login(people["nurse"]).get(reverse("checklists:flag-review", args=[flag_of(sick_visit, "emergency").pk]))
    content = page.content.decode()
    assert page.status_code == 200 and 'id="review-refusal"' in content
    assert "Only a clinician may sign off emergency flags. Ask Cy Admin, Bea Doctor to review this one" in content
    assert "Record review" not in content


@pytest.mark.parametrize("who", ["nurse", "clinician", "clinic admin"])
def test_every_role_logs_and_edits_visits(people, patient, who):
    client = login(people[who])
    assert client.post(reverse("checklists:visit-new", args=[patient.pk]), form_data()).status_code == 302
    visit = Visit.objects.get()
    edit = form_data(notes="Edited", lock_version=str(visit.lock_version))
    assert client.post(reverse("checklists:visit-edit", args=[visit.pk]), edit).status_code == 302
    assert Visit.objects.get().notes == "Edited"


def test_another_clinics_member_cannot_log_a_visit(people, patient):
    response = login(people["other clinic"]).post(reverse("checklists:visit-new", args=[patient.pk]), form_data())
    assert response.status_code == 404 and not Visit.objects.exists()


@pytest.mark.parametrize(("who", "may"), [("nurse", False), ("clinician", True), ("clinic admin", True)])
def test_applying_a_re_evaluation(people, sick_visit, who, may):
    url = reverse("checklists:visit-re-evaluate", args=[sick_visit.pk])
    page = login(people[who]).get(url).content.decode()
    assert ("Re-evaluate and record it" in page) is may
    response = login(people[who]).post(url, {"lock_version": sick_visit.lock_version})
    assert response.status_code == 302
    sick_visit.refresh_from_db()
    assert (sick_visit.re_evaluated_by == people[who]) is may
    if not may:
        with pytest.raises(services.NotPermitted, match="Only a clinician may apply"):
            services.re_evaluate_visit(visit=sick_visit, by=people[who], lock_version=sick_visit.lock_version)


def test_one_person_two_roles_in_two_clinics(clinic_a, clinic_b, doctor):
    """A clinician in clinic A who is a nurse in clinic B signs off A's emergencies, not B's."""
    person = make_user("two.hats", clinic_a, clinic_role=Role.CLINICIAN)
    Membership.objects.create(user=person, clinic=clinic_b, role=Role.NURSE)
    in_a = services.record_visit(
        patient=make_patient(clinic_a, mrn="A9"), seen_by=doctor, entry=visit_entry(limb_weakness=True)
    )
    in_b = services.record_visit(
        patient=make_patient(clinic_b, mrn="B9"), seen_by=person, entry=visit_entry(limb_weakness=True)
    )
    services.review_flag(flag=in_a.flags.get(), by=person, action="mscc_coordinator", note=NOTE)
    with pytest.raises(services.NotPermitted):
        services.review_flag(flag=in_b.flags.get(), by=person, action="mscc_coordinator", note=NOTE)
    assert roles.role_in(person, clinic_a) == Role.CLINICIAN and roles.role_in(person, clinic_b) == Role.NURSE


def test_a_superuser_is_not_a_clinician(clinic_a, sick_visit):
    """The people who run the site reach every clinic's records, but sign off no one's emergency."""
    root = make_user("root", is_superuser=True)
    with pytest.raises(services.NotPermitted, match="not a member"):
        services.review_flag(flag=flag_of(sick_visit, "emergency"), by=root, action="mscc_coordinator", note=NOTE)


def test_new_members_start_as_nurses(clinic_a):
    person = make_user("new.one")
    assert Membership.objects.create(user=person, clinic=clinic_a).role == Role.NURSE


@pytest.mark.parametrize("who", ["nurse", "clinician", "clinic admin", "other clinic"])
def test_a_pages_refusals_for_many_flags_say_what_one_flags_refusal_says(people, sick_visit, who):
    """The one-pass review (issue 15 §3) asks roles.review_refusals once for all of a visit's flags."""
    refusal = roles.review_refusals(people[who], sick_visit.clinic)
    for flag in sick_visit.flags.all():
        assert refusal(flag) == roles.review_refusal(people[who], flag)


@pytest.mark.parametrize(("who", "tier"), list(SIGN_OFF))
def test_reviewing_a_visit_in_one_pass_through_the_service(people, sick_visit, who, tier):
    flag = flag_of(sick_visit, tier)
    if SIGN_OFF[(who, tier)]:
        (reviewed,) = services.review_visit(
            visit=sick_visit, flag_ids=[flag.pk], by=people[who], action="patient_advised", note=NOTE
        )
        assert reviewed.status == "reviewed"
    else:
        with pytest.raises(services.NotPermitted):
            services.review_visit(
                visit=sick_visit, flag_ids=[flag.pk], by=people[who], action="patient_advised", note=NOTE
            )
        assert Flag.objects.get(pk=flag.pk).status == "open"
