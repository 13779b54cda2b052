"""Issue 10 §5: checklist content an admin may write never breaks a save. On PostgreSQL (CI runs the suite there
too) a flag code or title longer than its column used to answer 500 and lose the whole visit, MSCC included.
SQLite does not enforce lengths, so the column-fit test below also holds the rule on any database."""

import pytest
from django.urls import reverse

from checklists import services
from checklists.admin.checklist import ChecklistItemForm
from checklists.models import ChecklistItem, Flag, Source, Visit
from checklists.rules.flags import RULES, staff_item_code
from tests.views.helpers import login
from tests.views.test_visit_new import form_data

pytestmark = pytest.mark.django_db

LONGEST_KEY = ChecklistItem._meta.get_field("key").max_length
LONGEST_WORDING = ChecklistItem._meta.get_field("wording").max_length
LONGEST_TITLE = ChecklistItem._meta.get_field("flag_title").max_length


def test_every_flag_an_admin_can_make_fits_the_flag_columns():
    code, title = (Flag._meta.get_field(name).max_length for name in ("code", "title"))
    assert len(staff_item_code("k" * LONGEST_KEY)) <= code
    assert max(LONGEST_WORDING, LONGEST_TITLE) <= title  # the title is the item's flag title, else its wording
    assert all(len(rule.code) <= code and len(rule.title) <= title for rule in RULES)


def admin_item(draft, key, wording, flag_title=""):
    """Made through the admin's own form, so it is content the admin accepts."""
    form = ChecklistItemForm(
        {
            "key": key,
            "section": "treatment",
            "order": 900 + len(flag_title),
            "wording": wording,
            "help_text": "h" * ChecklistItem._meta.get_field("help_text").max_length,
            "flag_tier": "urgent",
            "flag_title": flag_title,
            "flag_source": Source.objects.get(key="ACS-2016").pk,
        },
        instance=ChecklistItem(version=draft),
    )
    assert form.is_valid(), form.errors
    return form.save()


def test_a_visit_with_the_longest_item_content_and_leg_weakness_is_saved(clinic_admin, nurse, patient):
    draft = services.start_draft(clinic=patient.clinic, by=clinic_admin)
    no_title = admin_item(draft, "a" * LONGEST_KEY, "W" * (LONGEST_WORDING - 1) + "?")
    titled = admin_item(draft, "b" * LONGEST_KEY, "Any new falls?", "T" * LONGEST_TITLE)
    services.publish_checklist(version=draft, by=clinic_admin)

    data = form_data(answer_limb_weakness="yes", **{f"answer_{no_title.key}": "yes", f"answer_{titled.key}": "yes"})
    response = login(nurse).post(reverse("checklists:visit-new", args=[patient.pk]), data)
    assert response.status_code == 302
    visit = Visit.objects.get()
    flags = {flag.code: flag.title for flag in visit.flags.all()}
    assert flags == {
        "MSCC_SUSPECTED": "Suspected spinal cord compression",
        staff_item_code(no_title.key): no_title.wording,
        staff_item_code(titled.key): titled.flag_title,
    }
    assert len(staff_item_code(no_title.key)) == len("ITEM_") + LONGEST_KEY
