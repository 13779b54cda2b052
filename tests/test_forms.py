"""Forms: every refusal message, next to its field, and the domain values they hand to services."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from checklists.forms import PatientForm, VisitForm, fields
from checklists.forms import patient as patient_form
from checklists.forms import visit as visit_form
from checklists.models import Clinic
from checklists.services import visits as visit_service

from .conftest import make_patient, screen_items, still_the_day

# The refusals' dates ("tomorrow") are worked out at import; a run crossing midnight keeps that day.
IMPORTED_ON = timezone.localdate()

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clinic_a")]


def visit_data(**overrides) -> dict:
    data = {
        "visit_date": "2026-11-02",
        "calcium_unit": "mmol/L",
        "calcium_type": "total",
        "albumin_unit": "g/L",
        "alp_unit": "U/L",
        "action": "draft",
    }
    return data | overrides


def bound(**overrides) -> VisitForm:
    form = VisitForm(visit_data(**overrides), items=screen_items())
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"calcium_value": "250", "calcium_unit": "mg/dL"},
            "calcium_value",
            "250 mg/dL is not a plausible calcium (plausible range 4.0\u201325.0 mg/dL).",
        ),
        (
            {"calcium_value": "2.6", "calcium_unit": "mg/dL"},
            "calcium_value",
            "2.6 mg/dL is not a plausible calcium; did you mean 2.6 mmol/L?",
        ),
        (
            {"calcium_value": "10.2", "calcium_unit": "mmol/L"},
            "calcium_value",
            "10.2 mmol/L is not a plausible calcium; did you mean 10.2 mg/dL?",
        ),
        (
            {"calcium_value": "1.4", "calcium_unit": "mg/dL", "calcium_type": "ionized"},
            "calcium_unit",
            "Ionized calcium is graded in mmol/L only; enter it in mmol/L.",
        ),
        (
            {"calcium_value": "5.0", "calcium_type": "ionized"},
            "calcium_value",
            "5.0 mmol/L is not a plausible ionized calcium (plausible range 0.25\u20133.0 mmol/L).",
        ),
        (
            {"albumin_value": "35", "albumin_unit": "g/dL"},
            "albumin_value",
            "35 g/dL is not a plausible albumin; did you mean 35 g/L?",
        ),
        ({"alp_value": "0.5"}, "alp_value", "0.5 U/L is not a plausible ALP (plausible range 1\u201310000 U/L)."),
        ({"calcium_value": "abc"}, "calcium_value", fields.NOT_A_NUMBER),
        ({"calcium_value": "-2"}, "calcium_value", fields.NOT_A_NUMBER),
        (
            {"calcium_value": "2.5", "calcium_upper": "10.2"},
            "calcium_upper",
            "The upper limit 10.2 mmol/L is not plausible for calcium; did you mean 10.2 mg/dL?",
        ),
        (
            {"calcium_value": "2.5", "calcium_lower": "2.6", "calcium_upper": "2.5"},
            "calcium_upper",
            "The lower limit (2.6) must be below the upper limit (2.5).",
        ),
        (
            {"alp_value": "100", "alp_upper": "0"},
            "alp_upper",
            "The upper limit of the reference range must be positive.",
        ),
        ({"calcium_upper": "2.55"}, "calcium_value", visit_form.VALUE_NEEDED_FOR_RANGE),
        ({"next_follow_up_due": "2026-10-01"}, "next_follow_up_due", visit_service.FOLLOW_UP_BEFORE_VISIT),
        ({"visit_date": "2999-01-01"}, "visit_date", visit_service.VISIT_IN_FUTURE),
        ({"visit_date": "yesterday"}, "visit_date", fields.NOT_A_DATE),
        ({"pain_score": "11"}, "pain_score", fields.NOT_A_CHOICE),
        (
            {"mirels_site": "lower_limb"},
            "mirels_pain",
            "Complete every part of the Mirels score, or leave all of it empty.",
        ),
        (
            {"sins_location": "junctional"},
            "sins_collapse",
            "Complete every part of the SINS score, or leave all of it empty.",
        ),
        (
            {"answer_limb_weakness": "maybe"},
            "answer_limb_weakness",
            fields.NOT_A_CHOICE,
        ),
    ],
)
def test_refusals_are_next_to_their_field(data, field, message):
    form = bound(**data)
    assert message in form.errors[field]


def test_complete_needs_every_safety_floor_item_and_says_which():
    form = bound(action="complete", answer_limb_weakness="no")
    assert form.errors["answer_numbness"] == [visit_form.FLOOR_UNANSWERED]
    assert "answer_limb_weakness" not in form.errors
    assert "answer_nausea" not in form.errors  # not on the floor
    summary = form.non_field_errors()[0]
    assert summary.startswith("To complete the visit, answer: New or worsening pain in the back or neck?")
    assert "New weakness in the legs or arms?" not in summary


def test_a_draft_may_leave_questions_unanswered():
    assert bound().is_valid()


def test_complete_with_every_floor_item_answered_is_valid():
    answers = {f"answer_{item.key}": "no" for item in screen_items()}
    assert bound(action="complete", **answers).is_valid()


def test_entry_carries_the_domain_values():
    form = bound(
        answer_limb_weakness="yes",
        calcium_value="3.2",
        albumin_value="30",
        pain_score="7",
        mirels_site="lower_limb",
        mirels_pain="moderate",
        mirels_lesion="lytic",
        mirels_size="gt_2_3",
    )
    entry = form.entry()
    assert entry.answers["limb_weakness"] == "yes"
    assert entry.answers["numbness"] == "not_asked"
    assert entry.pain_score == 7
    assert [(lab.analyte, lab.value, lab.unit) for lab in entry.labs] == [
        ("calcium_total", Decimal("3.2"), "mmol/L"),
        ("albumin", Decimal("30"), "g/L"),
    ]
    assert entry.mirels == {"site": "lower_limb", "pain": "moderate", "lesion": "lytic", "size": "gt_2_3"}
    assert entry.complete is False


def test_ionized_calcium_is_entered_as_ionized():
    entry = bound(calcium_value="1.7", calcium_type="ionized").entry()
    assert entry.labs[0].analyte == "calcium_ionized"


def test_partial_entry_keeps_the_valid_parts():
    """The live panel still shows the leg-weakness emergency while the calcium is wrong."""
    form = VisitForm(
        visit_data(answer_limb_weakness="yes", calcium_value="250", albumin_value="30"),
        items=screen_items(),
        partial=True,
    )
    assert form.is_valid() is False
    entry = form.entry()
    assert entry.answers["limb_weakness"] == "yes"
    assert [lab.analyte for lab in entry.labs] == ["albumin"]


def test_no_to_all_answers_only_the_unanswered_items_of_the_section():
    form = VisitForm(visit_data(answer_limb_weakness="yes"), items=screen_items())
    data = form.no_to_all("spinal_cord")
    assert data["answer_limb_weakness"] == "yes"
    assert data["answer_numbness"] == "no"
    assert "answer_nausea" not in data


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"modality": "mri"}, "region", visit_form.REGION_NEEDED),
        ({"region": "pelvis"}, "modality", visit_form.MODALITY_NEEDED),
    ],
)
def test_imaging_rows_need_modality_and_region(row, field, message):
    form = visit_form.ImagingForm(data={"urgency": "routine", **row})
    assert form.errors[field] == [message]


# -- the patient form --------------------------------------------------------------------------------------


def patient_data(**overrides) -> dict:
    data = {
        "clinic": "",
        "mrn": "X1",
        "family_name": "Lee",
        "given_name": "Sam",
        "date_of_birth": "1960-01-02",
        "sex": "male",
        "primary_cancer": "prostate",
        "primary_cancer_other": "",
        "bone_agent": "",
        "baseline_alp": "",
    }
    return data | overrides


@pytest.fixture
def clinics(clinic_a):
    return Clinic.objects.filter(pk=clinic_a.pk)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"date_of_birth": (IMPORTED_ON + datetime.timedelta(days=1)).isoformat()},
            "date_of_birth",
            patient_form.DATE_OF_BIRTH_IN_FUTURE,
        ),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth", patient_form.DATE_OF_BIRTH_TOO_OLD),
        ({"primary_cancer": "other"}, "primary_cancer_other", patient_form.OTHER_CANCER_NEEDED),
        ({"primary_cancer_other": "sarcoma"}, "primary_cancer_other", patient_form.OTHER_CANCER_ONLY_FOR_OTHER),
        ({"baseline_alp": "0"}, "baseline_alp", "0 U/L is not a plausible ALP (plausible range 1\u201310000 U/L)."),
        ({"mrn": ""}, "mrn", fields.REQUIRED),
        (
            {"primary_cancer": "liver"},
            "primary_cancer",
            fields.NOT_A_CHOICE,
        ),
    ],
)
def test_patient_refusals(clinics, data, field, message):
    form = PatientForm(patient_data(**data), clinics=clinics)
    with still_the_day(IMPORTED_ON):
        assert form.is_valid() is False
    assert message in form.errors[field]


def test_mrn_is_unique_per_clinic(clinics, clinic_a):
    make_patient(clinic_a, mrn="X1")
    form = PatientForm(patient_data(), clinics=clinics)
    assert form.errors["mrn"] == [patient_form.MRN_TAKEN]


def test_a_one_clinic_user_gets_their_clinic(clinics, clinic_a):
    form = PatientForm(patient_data(known_sites=["pelvis", "femur"]), clinics=clinics)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["clinic"] == clinic_a
    assert form.details()["known_sites"] == ["pelvis", "femur"]


def test_a_clinic_the_user_does_not_belong_to_is_refused(clinic_a, clinic_b):
    both = Clinic.objects.filter(pk__in=[clinic_a.pk, clinic_b.pk])
    mine = Clinic.objects.filter(pk=clinic_a.pk)
    assert PatientForm(patient_data(clinic=str(clinic_b.pk)), clinics=both).is_valid()
    form = PatientForm(patient_data(clinic=str(clinic_b.pk)), clinics=mine)
    assert form.is_valid()
    assert form.cleaned_data["clinic"] == clinic_a  # disabled for a one-clinic user: the posted value is ignored
