"""Issue 12 §1: each clinic owns its checklist. One clinic's admin drafts, tests and publishes only that clinic's
checklist; another clinic's forms and every past visit stay as they were."""

import pytest
from django.contrib import admin as django_admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.models import CLINIC_ADMIN, ChecklistItem, ChecklistVersion, Clinic, RuleTestCase, User
from checklists.models.test_case import CASE_NEEDS_CLINIC
from checklists.rules.vocabulary import SCREEN_ITEMS
from tests.conftest import make_user, visit_entry
from tests.views.helpers import login

pytestmark = pytest.mark.django_db

OLD = "New weakness in the legs or arms?"
NEW = "Legs or arms weaker than before?"


def current(clinic):
    return ChecklistVersion.objects.of_clinic(clinic).current()


def form_page(user, patient) -> str:
    return login(user).get(reverse("checklists:visit-new", args=[patient.pk])).content.decode()


def publish_reworded(clinic, by) -> ChecklistVersion:
    draft = services.start_draft(clinic=clinic, by=by)
    ChecklistItem.objects.filter(version=draft, key="limb_weakness").update(wording=NEW)
    return services.publish_checklist(version=draft, by=by)


def test_a_new_clinic_screens_with_the_built_in_checklist(clinic_a):
    version = current(clinic_a)
    assert (version.number, version.is_draft) == (1, False)
    items = list(version.items.order_by("order"))
    assert [(i.key, i.section, i.wording, i.is_builtin) for i in items] == [
        (s.key, s.section, s.wording, True) for s in SCREEN_ITEMS
    ]


def test_publishing_in_one_clinic_never_changes_another_clinics_form_or_any_past_visit(
    clinic_admin, nurse, patient, outsider, patient_b
):
    before_a = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    before_b = services.record_visit(patient=patient_b, seen_by=outsider, entry=visit_entry(limb_weakness=True))
    b_version = current(patient_b.clinic)

    published = publish_reworded(patient.clinic, clinic_admin)

    assert current(patient.clinic) == published and published.clinic == patient.clinic
    assert current(patient_b.clinic) == b_version  # clinic B still screens with its own v1
    assert NEW in form_page(nurse, patient) and OLD not in form_page(nurse, patient)
    assert OLD in form_page(outsider, patient_b) and NEW not in form_page(outsider, patient_b)
    for visit, user in ((before_a, nurse), (before_b, outsider)):
        page = login(user).get(reverse("checklists:visit-detail", args=[visit.pk])).content.decode()
        assert OLD in page and NEW not in page
    new_b = services.record_visit(patient=patient_b, seen_by=outsider, entry=visit_entry(limb_weakness=True))
    assert new_b.checklist_version == b_version


def test_a_clinic_admin_drafts_and_publishes_only_their_own_clinics_checklist(clinic_admin, clinic_a, clinic_b):
    client = login(clinic_admin)
    listing = client.get(reverse("admin:checklists_checklistversion_changelist"))
    assert {v.clinic for v in listing.context["cl"].queryset} == {clinic_a}
    assert "Start a draft of Clinic A" in listing.content.decode()
    assert "Clinic B" not in listing.content.decode()

    refused = client.post(reverse("admin:checklists_start_draft"), {"clinic": clinic_b.pk}, follow=True)
    assert "Choose one of your clinics" in refused.content.decode()
    assert ChecklistVersion.objects.of_clinic(clinic_b).draft() is None

    b_draft = services.start_draft(clinic=clinic_b, by=User.objects.create_superuser("root", password="x" * 14))
    for name in ("admin:checklists_checklistversion_change", "admin:checklists_draft_publish"):
        assert client.get(reverse(name, args=[b_draft.pk])).status_code in (302, 404)
    assert client.post(
        reverse("admin:checklists_draft_publish", args=[b_draft.pk]), {"confirmation": "x"}
    ).status_code in (302, 404)
    assert ChecklistVersion.objects.get(pk=b_draft.pk).is_draft

    started = client.post(reverse("admin:checklists_start_draft"), {"clinic": clinic_a.pk})
    assert started.status_code == 302
    assert ChecklistVersion.objects.of_clinic(clinic_a).draft().number == 2


def test_an_admin_of_two_clinics_starts_a_draft_for_the_one_they_choose(clinic_a, clinic_b):
    both = make_user("both", clinic_a, role=CLINIC_ADMIN)
    both.memberships.create(clinic=clinic_b, role="clinic_admin")
    client = login(both)
    page = client.get(reverse("admin:checklists_checklistversion_changelist")).content.decode()
    assert "Start a draft of Clinic A" in page and "Start a draft of Clinic B" in page
    client.post(reverse("admin:checklists_start_draft"), {"clinic": clinic_b.pk})
    assert ChecklistVersion.objects.of_clinic(clinic_b).draft() is not None
    assert ChecklistVersion.objects.of_clinic(clinic_a).draft() is None


def test_the_database_keeps_one_draft_and_one_number_per_clinic(clinic_a, clinic_b):
    with pytest.raises(IntegrityError), transaction.atomic():
        ChecklistVersion.objects.create(clinic=clinic_a, number=1, published_at=timezone.now())
    ChecklistVersion.objects.create(clinic=clinic_a, number=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChecklistVersion.objects.create(clinic=clinic_a, number=3)  # a second draft
    ChecklistVersion.objects.create(clinic=clinic_b, number=2)  # another clinic's draft is its own


def test_a_shared_version_from_before_clinics_had_their_own_is_never_published(clinic_admin):
    shared = ChecklistVersion.objects.create(number=99)
    with pytest.raises(ValidationError, match="kept for past visits"):
        services.publish_checklist(version=shared, by=clinic_admin)


def test_a_superuser_opening_a_clinic_gives_it_the_built_in_checklist(db):
    root = User.objects.create_superuser("root", password="a-long-root-password-2026")
    response = login(root).post(
        reverse("admin:checklists_clinic_add"), {"name": "Eastside", "calcium_unit": "mmol/L", "require_two_factor": ""}
    )
    assert response.status_code == 302
    clinic = Clinic.objects.get(name="Eastside")
    version = current(clinic)
    assert version.items.filter(is_builtin=True).count() == len(SCREEN_ITEMS)
    assert version.published_by is None  # the built-in checklist, published by nobody in particular
    # However a clinic is made (a command, a shell), it can log a visit from the start.
    made = Clinic.objects.create(name="Made in a shell")
    assert current(made).items.filter(is_builtin=True).count() == len(SCREEN_ITEMS)


def test_rule_test_cases_belong_to_a_clinic_and_the_worked_examples_are_shared(clinic_admin, clinic_a, clinic_b):
    mine = RuleTestCase.objects.create(
        clinic=clinic_a, name="Ours", findings={"primary_cancer": "lung"}, expected_visit_tier="none"
    )
    theirs = RuleTestCase.objects.create(
        clinic=clinic_b, name="Ours", findings={"primary_cancer": "lung"}, expected_visit_tier="none"
    )  # the same name in another clinic
    client = login(clinic_admin)
    listing = client.get(reverse("admin:checklists_ruletestcase_changelist"))
    seen = set(listing.context["cl"].queryset)
    assert mine in seen and theirs not in seen
    assert {case.is_builtin for case in seen - {mine}} == {True}
    assert client.get(reverse("admin:checklists_ruletestcase_change", args=[theirs.pk])).status_code == 302
    form = client.get(reverse("admin:checklists_ruletestcase_add")).context["adminform"].form
    assert list(form.fields["clinic"].queryset) == [clinic_a]
    stray = RuleTestCase(name="Nobody's", findings={}, expected_visit_tier="none")
    with pytest.raises(ValidationError) as refused:
        stray.full_clean()
    assert CASE_NEEDS_CLINIC in refused.value.message_dict["clinic"]
    with pytest.raises(IntegrityError), transaction.atomic():
        stray.save()


def test_publishing_runs_the_clinics_own_cases_not_another_clinics(clinic_admin, clinic_a, clinic_b):
    RuleTestCase.objects.create(
        clinic=clinic_b, name="Wrong on purpose", findings={"primary_cancer": "lung"}, expected_visit_tier="urgent"
    )
    draft = services.start_draft(clinic=clinic_a, by=clinic_admin)
    assert services.publish_checklist(version=draft, by=clinic_admin).published_at is not None


def test_the_test_case_list_keeps_no_state_on_the_shared_admin(clinic_admin, clinic_a):
    """Issue 12 §3: the admin instance serves every request; the verdicts of one must not linger for the next."""
    case_admin = django_admin.site._registry[RuleTestCase]
    before = dict(vars(case_admin))
    services.start_draft(clinic=clinic_a, by=clinic_admin)
    page = login(clinic_admin).get(reverse("admin:checklists_ruletestcase_changelist")).content.decode()
    assert page.count("✓ pass") == 28  # the 14 worked examples, against Clinic A's current version and draft
    assert vars(case_admin) == before


def test_the_preview_answers_the_drafts_questions_and_shows_the_flags_they_raise(clinic_admin, clinic_a, clinic_b):
    """Issue 12 §1: as on the visit form, with the draft's own items (a clinic item raises its own flag)."""
    draft = services.start_draft(clinic=clinic_a, by=clinic_admin)
    ChecklistItem.objects.create(
        version=draft,
        key="falls_new",
        section="treatment",
        order=500,
        wording="Any new falls?",
        flag_tier="urgent",
        flag_title="New falls",
    )
    client = login(clinic_admin)
    url = reverse("admin:checklists_draft_preview_flags", args=[draft.pk])
    page = client.get(reverse("admin:checklists_draft_preview", args=[draft.pk])).content.decode()
    assert url in page and 'name="answer_falls_new" value="yes"' in page
    panel = client.post(url, {"answer_limb_weakness": "yes", "answer_falls_new": "yes"}).content.decode()
    assert "Suspected spinal cord compression" in panel and "New falls" in panel
    assert 'data-visit-tier="emergency"' in panel
    calm = client.post(url, {"answer_limb_weakness": "no", "answer_nausea": "maybe\x00"})
    assert calm.status_code == 200 and 'data-visit-tier="none"' in calm.content.decode()
    assert client.get(url).status_code == 405
    b_draft = services.start_draft(clinic=clinic_b, by=User.objects.create_superuser("root", password="x" * 14))
    other = client.post(reverse("admin:checklists_draft_preview_flags", args=[b_draft.pk]), {})
    assert other.status_code in (302, 404)


def test_the_services_refuse_another_clinics_checklist_whoever_calls(clinic_admin, clinic_a, clinic_b, nurse):
    """Review finding: only the admin pages kept clinic A's admin off clinic B's checklist."""
    from checklists.services.roles import CHECKLIST_NEEDS_CLINIC_ADMIN

    with pytest.raises(services.NotPermitted, match="Only a clinic admin of Clinic B"):
        services.start_draft(clinic=clinic_b, by=clinic_admin)
    assert ChecklistVersion.objects.of_clinic(clinic_b).draft() is None
    draft = services.start_draft(clinic=clinic_a, by=clinic_admin)
    with pytest.raises(services.NotPermitted) as refused:
        services.publish_checklist(version=draft, by=nurse)  # a clinician of clinic A, not its admin
    assert str(refused.value) == CHECKLIST_NEEDS_CLINIC_ADMIN.format(clinic=clinic_a)
    assert ChecklistVersion.objects.get(pk=draft.pk).is_draft
    root = User.objects.create_superuser("root", password="a-long-root-password-2026")
    assert services.publish_checklist(version=draft, by=root).published_by == root
