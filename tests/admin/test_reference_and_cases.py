"""Reference ranges, sources and rule test cases in the admin: validated, scoped to the admin's clinics."""

from decimal import Decimal

import pytest
from django.urls import reverse

from checklists import services
from checklists.admin.reference import LabReferenceRangeForm
from checklists.admin.test_cases import BAD_FLAG_LIST, UNKNOWN_CODE, RuleTestCaseForm
from checklists.models import Clinic, LabReferenceRange, RuleTestCase, Source, User
from tests.conftest import lab, visit_entry
from tests.views.helpers import login

pytestmark = pytest.mark.django_db


def range_form(clinic, **data):
    return LabReferenceRangeForm(
        {"clinic": clinic.pk, "analyte": "calcium_total", "unit": "mmol/L", "lower": "2.2", "upper": "2.6"} | data
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"unit": "g/L"}, "unit", "g/L is not a unit of calcium; use mg/dL or mmol/L."),
        (
            {"upper": "10.2"},
            "upper",
            "The upper limit 10.2 mmol/L is not plausible for calcium; did you mean 10.2 mg/dL?",
        ),
        ({"lower": "0"}, "lower", "The lower limit of the reference range must be positive."),
        ({"lower": "2.6", "upper": "2.2"}, "upper", "The lower limit (2.6) must be below the upper limit (2.2)."),
    ],
)
def test_reference_ranges_are_validated(clinic_a, data, field, message):
    form = range_form(clinic_a, **data)
    assert message in form.errors[field]


def test_new_results_take_a_new_range_old_results_keep_theirs(clinic_a, nurse, patient):
    calcium = [lab("calcium_total", "2.58", "mmol/L"), lab("albumin", "40", "g/L")]
    before = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(labs=calcium))
    assert range_form(clinic_a).is_valid()
    range_form(clinic_a).save()
    after = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(labs=calcium))
    assert before.lab_results.get(analyte="calcium_total").reference_upper == Decimal("2.55")
    assert before.tier == "prompt_review"
    assert after.lab_results.get(analyte="calcium_total").reference_upper == Decimal("2.6")
    assert after.tier == "none"
    before.refresh_from_db()
    assert before.tier == "prompt_review"


def test_a_clinic_admin_sees_only_their_clinics_ranges(clinic_admin, clinic_a, clinic_b):
    mine = LabReferenceRange.objects.create(clinic=clinic_a, analyte="alp", unit="U/L", lower=40, upper=130)
    theirs = LabReferenceRange.objects.create(clinic=clinic_b, analyte="alp", unit="U/L", lower=30, upper=120)
    client = login(clinic_admin)
    listing = client.get(reverse("admin:checklists_labreferencerange_changelist"))
    assert list(listing.context["cl"].queryset) == [mine]
    assert client.get(reverse("admin:checklists_labreferencerange_change", args=[theirs.pk])).status_code == 302
    form = client.get(reverse("admin:checklists_labreferencerange_add")).context["adminform"].form
    assert list(form.fields["clinic"].queryset) == [clinic_a]


def test_sources_are_a_hospital_catalogue_only_superusers_edit_and_every_edit_is_audited(clinic_admin):
    """Issue 12 §1: a clinic admin reads the sources every clinic's flags cite, and cannot change them."""
    source = Source.objects.get(key="BCO")
    url = reverse("admin:checklists_source_change", args=[source.pk])
    edit = {"title": source.title, "publisher": source.publisher, "date": "reviewed 2026", "summary": source.summary}
    admin_client = login(clinic_admin)
    assert admin_client.get(reverse("admin:checklists_source_changelist")).status_code == 200
    assert "reviewed 2026" not in admin_client.get(url).content.decode()
    assert admin_client.post(url, edit).status_code == 403
    assert admin_client.get(reverse("admin:checklists_source_add")).status_code == 403
    assert Source.objects.get(pk=source.pk).date != "reviewed 2026"

    root = User.objects.create_superuser("root", password="a-long-root-password-2026")
    assert login(root).post(url, edit).status_code == 302
    record = Source.objects.get(pk=source.pk).history.first()
    assert (record.date, record.history_user) == ("reviewed 2026", root)


def case_form(**data):
    base = {
        "clinic": Clinic.objects.get(name="Clinic A").pk,
        "name": "Leg weakness",
        "description": "",
        "findings": '{"primary_cancer": "lung", "symptoms": {"limb_weakness": true}}',
        "expected_visit_tier": "emergency",
        "flags_must_fire": '[{"code": "MSCC_SUSPECTED", "tier": "emergency"}]',
        "flags_may_fire": "[]",
    }
    return RuleTestCaseForm(base | data)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"findings": '{"primary_cancer": "lung", "symptoms": {"leg_weakness": true}}'},
            "findings",
            "These findings would be refused: symptoms.leg_weakness: unknown symptom (did you mean 'limb_weakness'?)",
        ),
        (
            {"findings": '{"primary_cancer": "lung", "labs": {"calcium": {"value": 250, "unit": "mg/dL"}}}'},
            "findings",
            "250 mg/dL is not a plausible calcium",
        ),
        ({"flags_must_fire": '["MSCC_SUSPECTED"]'}, "flags_must_fire", BAD_FLAG_LIST),
        (
            {"flags_must_fire": '[{"code": "MSCC", "tier": "emergency"}]'},
            "flags_must_fire",
            UNKNOWN_CODE.format(code="MSCC"),
        ),
        ({"flags_may_fire": '["NOPE"]'}, "flags_may_fire", UNKNOWN_CODE.format(code="NOPE")),
    ],
)
def test_test_cases_are_validated(data, field, message, clinic_a):
    form = case_form(**data)
    assert form.is_valid() is False
    assert message in " ".join(form.errors[field])


def test_test_cases_show_pass_and_fail_against_current_and_draft(clinic_admin, clinic_a):
    assert case_form().is_valid()
    case_form().save()
    RuleTestCase.objects.create(
        clinic=clinic_a, name="Wrong on purpose", findings={"primary_cancer": "lung"}, expected_visit_tier="urgent"
    )
    services.start_draft(clinic=clinic_a, by=clinic_admin)
    content = login(clinic_admin).get(reverse("admin:checklists_ruletestcase_changelist")).content.decode()
    assert content.count("✓ pass") == 30  # 14 worked examples + 1, each against current and draft
    assert content.count("✗ fail") == 2
    assert "visit tier none != urgent" in content


def test_worked_examples_ship_as_read_only_test_cases(clinic_admin):
    assert RuleTestCase.objects.filter(is_builtin=True).count() == 14
    case = RuleTestCase.objects.get(name="Worked example E03")
    response = login(clinic_admin).post(reverse("admin:checklists_ruletestcase_change", args=[case.pk]), {})
    assert response.status_code == 403


def test_the_range_list_shows_the_ranges_in_force_built_in_defaults_included(clinic_admin, clinic_a, clinic_b):
    """Issue 12 §6: it said "0 lab reference ranges" while 2.15–2.55 mmol/L was in use."""
    LabReferenceRange.objects.create(
        clinic=clinic_a, analyte="alp", unit="U/L", lower=Decimal("40"), upper=Decimal("130")
    )
    LabReferenceRange.objects.create(
        clinic=clinic_b, analyte="alp", unit="U/L", lower=Decimal("40"), upper=Decimal("876.5")
    )
    response = login(clinic_admin).get(reverse("admin:checklists_labreferencerange_changelist"))
    [(clinic, rows)] = response.context["in_force"]
    assert clinic == clinic_a
    shown = {(row.analyte, row.unit): (row.lower, row.upper, row.clinic_own) for row in rows}
    assert shown[("Calcium (total)", "mmol/L")] == (Decimal("2.15"), Decimal("2.55"), False)
    assert shown[("ALP", "U/L")] == (Decimal("40"), Decimal("130"), True)
    assert len(shown) == 6
    page = response.content.decode()
    assert "Reference ranges in force" in page and "built-in default" in page and "876.5" not in page
