"""Clinic admins change the checklist in a draft, preview it, and publish it; past visits keep their wording."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from checklists import services
from checklists.admin.checklist import ChecklistItemForm
from checklists.models import ChecklistItem, ChecklistVersion, Source
from checklists.models.checklist import BUILTIN_KEY, FLAG_NEEDS_TIER, KEY_IS_FIXED, KEY_TAKEN
from checklists.selectors import current_items
from tests.conftest import TODAY, visit_entry
from tests.views.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(clinic_admin, clinic_a):
    return services.start_draft(clinic=clinic_a, by=clinic_admin)


def current(clinic):
    return ChecklistVersion.objects.of_clinic(clinic).current()


def item(version, key) -> ChecklistItem:
    return version.items.get(key=key)


def item_form(instance, **changes):
    data = {
        name: getattr(instance, name)
        for name in ("key", "section", "order", "wording", "help_text", "retired", "flag_tier", "flag_title")
    }
    data["flag_source"] = instance.flag_source_id or ""
    data |= changes
    return ChecklistItemForm(data, instance=instance)


def test_a_draft_copies_the_current_version_and_there_is_only_one(draft, clinic_admin, clinic_a):
    assert (draft.number, draft.is_draft, draft.clinic) == (2, True, clinic_a)
    assert draft.items.count() == 29
    assert services.start_draft(clinic=clinic_a, by=clinic_admin) == draft
    assert current(clinic_a).number == 1
    assert item(draft, "nausea").history.first().history_user == clinic_admin


def clinic_item(version, key="falls_new", **extra):
    return ChecklistItem.objects.create(
        version=version, key=key, section="treatment", order=500, wording="Any new falls since the last visit?", **extra
    )


def test_built_in_items_can_be_reworded_and_moved_but_never_retired_or_removed(draft):
    """RULES.md §3; before issue 10, 13 built-ins that no emergency rule reads could be retired."""
    form = item_form(item(draft, "limb_weakness"), retired="on")
    assert form.errors["retired"] == [
        "“New weakness in the legs or arms?” is a built-in item: it can be reworded, reordered or moved to another "
        "section, never retired (RULES.md §3)."
    ]
    assert "never retired" in item_form(item(draft, "bone_pain_new"), retired="on").errors["retired"][0]
    removed = item_form(item(draft, "nausea"), DELETE="on")
    removed.fields["DELETE"] = __import__("django").forms.BooleanField(required=False)
    assert "never removed" in str(removed.errors)
    assert item_form(item(draft, "nausea"), wording="Feeling sick?", section="treatment", order=1).is_valid()
    assert item_form(clinic_item(draft), retired="on").is_valid()


def test_the_database_refuses_a_retired_built_in_item_whoever_writes_it(draft):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ChecklistItem.objects.filter(version=draft, key="nausea").update(retired=True)


def test_item_rules(draft):
    assert item_form(item(draft, "nausea"), key="queasy").errors["key"] == [KEY_IS_FIXED]
    new = ChecklistItem(version=draft)
    form = ChecklistItemForm({"key": "nausea", "section": "treatment", "order": 500, "wording": "x"}, instance=new)
    assert form.errors["key"] == [BUILTIN_KEY.format(key="nausea")]
    form = ChecklistItemForm(
        {"key": "falls_new", "section": "treatment", "order": 500, "wording": "Falls?", "flag_title": "Falls"},
        instance=ChecklistItem(version=draft),
    )
    assert form.errors["flag_tier"] == [FLAG_NEEDS_TIER]
    form = ChecklistItemForm(
        {"key": "NAUSEA", "section": "treatment", "order": 500, "wording": "x"}, instance=ChecklistItem(version=draft)
    )
    assert form.errors["key"] == [KEY_TAKEN.format(key="NAUSEA")]  # ITEM_NAUSEA would be one code for two items


def test_publishing_with_failing_test_cases_needs_a_written_reason(draft, clinic_admin, clinic_a):
    from checklists.models import RuleTestCase

    clinic_item(draft, flag_tier="prompt_review", flag_title="New falls")
    RuleTestCase.objects.create(
        clinic=clinic_a,
        name="Falls are urgent here",
        findings={"primary_cancer": "breast", "symptoms": {"falls_new": True}},
        expected_visit_tier="urgent",
        flags_must_fire=[{"code": "ITEM_FALLS_NEW", "tier": "urgent"}],
    )
    with pytest.raises(services.TestCasesFail) as failing:
        services.publish_checklist(version=draft, by=clinic_admin)
    assert [case.name for case, _found in failing.value.failures] == ["Falls are urgent here"]
    assert current(clinic_a).number == 1
    published = services.publish_checklist(version=draft, by=clinic_admin, confirmation="Prompt review is enough")
    assert published.published_by == clinic_admin
    assert published.published_despite_failures == "Prompt review is enough (failing: Falls are urgent here)"
    assert current(clinic_a) == published
    assert "falls_new" in {i.key for i in current_items(clinic_a)}


def test_a_draft_without_a_built_in_item_cannot_be_published(draft, clinic_admin):
    ChecklistItem.objects.filter(version=draft, key="numbness").delete()  # around the form
    with pytest.raises(ValidationError, match="does not ask: numbness"):
        services.publish_checklist(version=draft, by=clinic_admin, confirmation="x")
    ChecklistItem.objects.filter(version=draft, key="nausea").delete()
    clinic_item(draft, key="numbness_again")
    ChecklistItem.objects.create(version=draft, key="numbness", section="spinal_cord", order=1, wording="Numb?")
    with pytest.raises(ValidationError, match="does not ask: nausea"):
        services.publish_checklist(version=draft, by=clinic_admin, confirmation="x")


def test_a_published_version_cannot_be_published_or_changed_again(clinic_admin, clinic_a):
    published = current(clinic_a)
    with pytest.raises(ValidationError):
        services.publish_checklist(version=published, by=clinic_admin)
    client = login(clinic_admin)
    url = reverse("admin:checklists_checklistversion_change", args=[published.pk])
    assert client.get(url).status_code == 200  # view only
    assert client.post(url, {"note": "changed"}).status_code == 403


def test_rewording_and_retiring_never_change_past_visits(clinic_admin, nurse, patient):
    clinic_item(current(patient.clinic))  # a clinic item the current version asks
    draft = services.start_draft(clinic=patient.clinic, by=clinic_admin)
    entry = visit_entry(visit_date=TODAY - datetime.timedelta(days=7), limb_weakness=True)
    entry.answers["falls_new"] = "yes"
    old = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    before = list(old.flags.values_list("code", "tier", "reason"))
    ChecklistItem.objects.filter(version=draft, key="limb_weakness").update(wording="Legs or arms weaker than before?")
    ChecklistItem.objects.filter(version=draft, key="falls_new").update(retired=True)
    services.publish_checklist(version=draft, by=clinic_admin)

    new = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(limb_weakness=True))
    assert new.answers.get(item__key="limb_weakness").item.wording == "Legs or arms weaker than before?"
    assert not new.answers.filter(item__key="falls_new").exists()
    client = login(nurse)
    for page in ("visit-detail", "visit-summary"):
        old_page = client.get(reverse(f"checklists:{page}", args=[old.pk])).content.decode()
        assert "New weakness in the legs or arms?" in old_page and "Legs or arms weaker" not in old_page
        assert "Any new falls since the last visit?" in old_page
    assert (
        "Legs or arms weaker than before?"
        in client.get(reverse("checklists:visit-new", args=[patient.pk])).content.decode()
    )
    assert list(old.flags.values_list("code", "tier", "reason")) == before


def test_an_item_the_clinic_adds_raises_its_own_flag(draft, clinic_admin, nurse, patient):
    ChecklistItem.objects.create(
        version=draft,
        key="falls_new",
        section="treatment",
        order=500,
        wording="Any new falls since the last visit?",
        flag_tier="urgent",
        flag_title="New falls",
        flag_source=Source.objects.get(key="ACS-2016"),
    )
    services.publish_checklist(version=draft, by=clinic_admin)
    entry = visit_entry()
    entry.answers["falls_new"] = "yes"
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    flag = visit.flags.get()
    assert (flag.code, flag.tier, flag.title) == ("ITEM_FALLS_NEW", "urgent", "New falls")
    assert flag.sources[0]["key"] == "ACS-2016"


def test_admin_pages(clinic_admin, draft):
    client = login(clinic_admin)
    assert client.get(reverse("admin:checklists_checklistversion_changelist")).status_code == 200
    change = client.get(reverse("admin:checklists_checklistversion_change", args=[draft.pk])).content.decode()
    assert "Preview as the visit form" in change and "never retired or removed" in change
    preview = client.get(reverse("admin:checklists_draft_preview", args=[draft.pk])).content.decode()
    assert "New weakness in the legs or arms?" in preview and "Nothing here is saved" in preview
    publish = client.get(reverse("admin:checklists_draft_publish", args=[draft.pk])).content.decode()
    assert publish.count("✓ pass") == 28  # 14 cases, against the current version and the draft
    response = client.post(reverse("admin:checklists_draft_publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_by == clinic_admin


def test_staff_cannot_use_the_admin(nurse):
    response = login(nurse).get(reverse("admin:checklists_checklistversion_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_publish_message_names_the_new_version(draft, clinic_admin):
    """Issue 12 §6: not "Checklist v2 (draft) is published"."""
    url = reverse("admin:checklists_draft_publish", args=[draft.pk])
    response = login(clinic_admin).post(url, {"confirmation": "checked"}, follow=True)
    content = response.content.decode()
    assert f"Checklist v{draft.number} is published: Clinic A&#x27;s new visits are screened with it." in content
    assert "(draft) is published" not in content


def test_the_navigation_offers_the_admin_to_clinic_admins_only(clinic_admin, nurse):
    """Issue 12 §6: admins find their way; staff see no link they cannot use."""
    admin_link = f'href="{reverse("admin:index")}">Admin</a>'
    assert admin_link in login(clinic_admin).get(reverse("checklists:worklist")).content.decode()
    assert admin_link not in login(nurse).get(reverse("checklists:worklist")).content.decode()
