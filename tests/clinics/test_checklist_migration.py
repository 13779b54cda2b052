"""Migration 0026 gives every existing clinic its own checklist without changing what any past visit shows."""

import datetime

import pytest
from django.utils import timezone

from tests.safety.test_data_migrations import at, migrate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def at_0025():
    yield from at([("checklists", "0025_checklist_per_clinic")])


def test_each_clinic_gets_a_copy_of_the_current_checklist_and_its_draft_and_past_visits_keep_theirs(at_0025):
    apps = at_0025
    Version, Item = apps.get_model("checklists", "ChecklistVersion"), apps.get_model("checklists", "ChecklistItem")
    Case = apps.get_model("checklists", "RuleTestCase")
    nurse = apps.get_model("checklists", "User").objects.create(username="ada")
    north, river = (apps.get_model("checklists", "Clinic").objects.create(name=name) for name in ("North", "River"))
    shared = Version.objects.create(number=700, published_at=timezone.now(), note="shared")
    Item.objects.create(
        version=shared, key="limb_weakness", section="spinal_cord", wording="Weak legs?", order=1, is_builtin=True
    )
    draft = Version.objects.create(number=701, note="open draft")
    Item.objects.create(
        version=draft, key="limb_weakness", section="spinal_cord", wording="Weaker legs?", order=1, is_builtin=True
    )
    Case.objects.create(name="A clinic case", findings={}, expected_visit_tier="none")
    Case.objects.create(name="Worked example", findings={}, expected_visit_tier="none", is_builtin=True)
    patient = apps.get_model("checklists", "Patient").objects.create(
        clinic=north,
        mrn="1",
        family_name="S",
        given_name="J",
        date_of_birth=datetime.date(1950, 1, 1),
        primary_cancer="breast",
    )
    visit = apps.get_model("checklists", "Visit").objects.create(
        patient=patient, clinic=north, seen_by=nurse, checklist_version=shared, visit_date=datetime.date(2026, 1, 5)
    )

    after = migrate([("checklists", "0027_rule_test_case_builtin_is_shared")])

    Version, Item = after.get_model("checklists", "ChecklistVersion"), after.get_model("checklists", "ChecklistItem")
    Case = after.get_model("checklists", "RuleTestCase")
    assert after.get_model("checklists", "Visit").objects.get(pk=visit.pk).checklist_version_id == shared.pk
    assert Version.objects.filter(pk=shared.pk, clinic__isnull=True).exists()  # the past visit's wording stays
    assert not Version.objects.filter(pk=draft.pk).exists()  # the shared draft lives on as each clinic's draft
    removed = after.get_model("checklists", "HistoricalChecklistVersion").objects.get(id=draft.pk, history_type="-")
    assert "copied to every clinic" in removed.history_change_reason
    for clinic in (north, river):
        own = Version.objects.filter(clinic_id=clinic.pk)
        published = own.get(published_at__isnull=False)
        assert (published.number, published.published_at, published.note) == (700, shared.published_at, "shared")
        assert list(Item.objects.filter(version=published).values_list("key", "wording")) == [
            ("limb_weakness", "Weak legs?")
        ]
        copy = own.get(published_at__isnull=True)
        assert (copy.number, Item.objects.get(version=copy).wording) == (701, "Weaker legs?")
        assert Case.objects.filter(clinic_id=clinic.pk, name="A clinic case", is_builtin=False).count() == 1
        reason = after.get_model("checklists", "HistoricalChecklistVersion").objects.get(id=published.pk)
        assert f"copied for {clinic.name}" in reason.history_change_reason
    assert Case.objects.filter(clinic__isnull=True, name="Worked example").exists()
    assert not Case.objects.filter(clinic__isnull=True, is_builtin=False).exists()
