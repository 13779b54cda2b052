"""Issue 10 §2 and §4.4: an edit regrades a result only with what was recorded with it, and the ALP baseline is
only one a clinician recorded on the patient."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from checklists import services
from checklists.entries import VisitEntry
from checklists.models import LabReferenceRange, LabResult, Visit
from tests.conftest import TODAY, all_no, lab, make_patient

pytestmark = pytest.mark.django_db


def calcium_visit(patient, nurse, value="10.1"):
    entry = VisitEntry(
        visit_date=TODAY,
        answers=all_no(),
        labs=(lab("calcium_total", value, "mg/dL"), lab("albumin", "4.0", "g/dL")),
        complete=True,
    )
    return services.record_visit(patient=patient, seen_by=nurse, entry=entry)


def test_an_edit_keeps_the_range_a_result_was_recorded_with(patient, nurse, clinic_a):
    """Calcium 10.1 mg/dL against the clinic default ULN 10.0 raised a flag; the default later becomes 10.4;
    editing only the notes must not regrade the old result."""
    LabReferenceRange.objects.create(
        clinic=clinic_a, analyte="calcium_total", unit="mg/dL", lower=Decimal("8.6"), upper=Decimal("10.0")
    )
    visit = calcium_visit(patient, nurse)
    assert visit.flags.get().code == "HYPERCALCAEMIA_LAB"
    LabReferenceRange.objects.filter(clinic=clinic_a).update(upper=Decimal("10.4"))
    entry = VisitEntry(
        visit_date=TODAY,
        answers=all_no(),
        labs=(lab("calcium_total", "10.1", "mg/dL"), lab("albumin", "4.0", "g/dL")),
        notes="Phoned the patient.",
        complete=True,
    )
    visit = services.update_visit(visit=visit, entry=entry, lock_version=visit.lock_version, by=nurse)
    calcium = visit.lab_results.get(analyte="calcium_total")
    assert (calcium.reference_lower, calcium.reference_upper) == (Decimal("8.6"), Decimal("10.0"))
    assert (visit.tier, visit.flags.get().status) == ("prompt_review", "open")


def test_a_range_the_editor_types_is_used(patient, nurse):
    visit = calcium_visit(patient, nurse, "10.3")  # above the built-in ULN of 10.2
    assert visit.flags.get().status == "open"
    entry = VisitEntry(
        visit_date=TODAY,
        answers=all_no(),
        labs=(lab("calcium_total", "10.3", "mg/dL", upper="10.4"), lab("albumin", "4.0", "g/dL")),
        complete=True,
    )
    visit = services.update_visit(visit=visit, entry=entry, lock_version=visit.lock_version, by=nurse)
    calcium = visit.lab_results.get(analyte="calcium_total")
    assert calcium.reference_upper == Decimal("10.4")
    assert calcium.reference_lower == Decimal("8.5")  # the LLN recorded before: only the ULN was retyped
    assert visit.flags.get().status == "withdrawn"


def test_alp_with_no_recorded_baseline_is_graded_against_the_uln(patient, nurse):
    """ALP 600 then 1150 (ULN 147): the first ALP never becomes a baseline; 1150 is 7.8 x ULN, grade 3."""
    for day, value in ((TODAY - datetime.timedelta(days=90), "600"), (TODAY, "1150")):
        visit = services.record_visit(
            patient=patient,
            seen_by=nurse,
            entry=VisitEntry(visit_date=day, answers=all_no(), labs=(lab("alp", value, "U/L", upper="147"),)),
        )
    assert visit.evaluation["alp"] == {"ctcae_grade": 3, "ratio": 7.823, "reference": "ULN"}
    assert visit.flags.get().grade == 3


def test_a_recorded_abnormal_baseline_is_used(clinic_a, nurse):
    patient = make_patient(
        clinic_a,
        mrn="A900",
        baseline_alp=Decimal("600"),
        baseline_alp_measured_on=TODAY - datetime.timedelta(days=90),
    )
    visit = services.record_visit(
        patient=patient,
        seen_by=nurse,
        entry=VisitEntry(visit_date=TODAY, answers=all_no(), labs=(lab("alp", "1150", "U/L", upper="147"),)),
    )
    assert visit.evaluation["alp"] == {"ctcae_grade": 0, "ratio": 1.917, "reference": "baseline"}


def post_edit(client, visit, **typed):
    from tests.views.test_visit_new import form_data

    base = {"calcium_value": "11.0", "calcium_unit": "mg/dL", "albumin_value": "4.0", "albumin_unit": "g/dL"}
    return client.post(
        reverse("checklists:visit-edit", args=[visit.pk]), form_data(lock_version=visit.lock_version, **(base | typed))
    )


def test_clearing_a_typed_range_on_edit_takes_the_clinics_default(nurse, patient):
    """Issue 10 review: a ULN typo (12.0 for 10.2) is corrected by clearing the range, as the form says."""
    from tests.views.helpers import login
    from tests.views.test_visit_new import form_data

    client = login(nurse)
    base = {"calcium_value": "11.0", "calcium_unit": "mg/dL", "albumin_value": "4.0", "albumin_unit": "g/dL"}
    client.post(reverse("checklists:visit-new", args=[patient.pk]), form_data(calcium_upper="12.0", **base))
    visit = Visit.objects.get()
    assert not visit.flags.exists()  # 11.0 under the mistyped 12.0
    assert post_edit(client, visit).status_code == 302
    calcium = LabResult.objects.get(analyte="calcium_total")
    assert (calcium.reference_lower, calcium.reference_upper, calcium.reference_from_clinic_default) == (
        Decimal("8.5"),
        Decimal("10.2"),
        True,
    )
    assert visit.flags.get().code == "HYPERCALCAEMIA_LAB"


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"calcium_upper": "8.2"}, "calcium_upper"),  # below the default LLN 8.5
        ({"calcium_lower": "10.5"}, "calcium_lower"),  # above the default ULN 10.2
        ({"alp_value": "900", "alp_upper": "14"}, "alp_upper"),  # a typo for 147, below the default LLN 44
    ],
)
def test_one_limit_typed_across_the_default_is_refused_next_to_it_never_a_500(nurse, patient, typed, field):
    """Issue 10 review: the visit with the MSCC emergency on the same form is not lost to a 500."""
    from tests.views.helpers import login
    from tests.views.test_visit_new import form_data

    client = login(nurse)
    data = form_data(answer_limb_weakness="yes", calcium_value="9.0", calcium_unit="mg/dL", **typed)
    response = client.post(reverse("checklists:visit-new", args=[patient.pk]), data)
    assert response.status_code == 200
    assert "is not below the upper limit" in response.context["form"].errors[field][0]
    preview = client.post(reverse("checklists:visit-preview", args=[patient.pk]), data)
    assert preview.status_code == 200 and "Suspected spinal cord compression" in preview.content.decode()
    assert Visit.objects.count() == 0
    assert login(nurse).post(reverse("checklists:visit-new", args=[patient.pk]), form_data(answer_limb_weakness="yes"))


def test_the_service_refuses_a_crossed_range_whoever_calls_it(nurse, patient):
    entry = VisitEntry(visit_date=TODAY, answers=all_no(), labs=(lab("alp", "900", "U/L", upper="14"),))
    with pytest.raises(services.ImplausibleRange) as refused:
        services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    assert list(refused.value.problems) == ["alp"]


def test_a_baseline_measured_after_a_visit_does_not_regrade_it(clinic_a, nurse):
    """Issue 10 review: ALP 600 in January is grade 2 against the ULN; a baseline recorded in March says nothing
    about January, so a notes-only edit of that visit keeps its flag."""
    january = TODAY - datetime.timedelta(days=60)
    patient = make_patient(clinic_a, mrn="A901")
    visit = services.record_visit(
        patient=patient,
        seen_by=nurse,
        entry=VisitEntry(visit_date=january, answers=all_no(), labs=(lab("alp", "600", "U/L", upper="147"),)),
    )
    patient.baseline_alp, patient.baseline_alp_measured_on = Decimal("600"), TODAY - datetime.timedelta(days=1)
    patient.save()
    visit = services.update_visit(
        visit=visit,
        entry=VisitEntry(
            visit_date=january, answers=all_no(), labs=(lab("alp", "600", "U/L", upper="147"),), notes="Phoned."
        ),
        lock_version=visit.lock_version,
        by=nurse,
    )
    assert (visit.flags.get().status, visit.evaluation["alp"]["reference"]) == ("open", "ULN")
    later = services.record_visit(
        patient=patient,
        seen_by=nurse,
        entry=VisitEntry(visit_date=TODAY, answers=all_no(), labs=(lab("alp", "650", "U/L", upper="147"),)),
    )
    assert later.evaluation["alp"]["reference"] == "baseline"


@pytest.mark.parametrize(("clinic_lln", "grade"), [(None, None), ("2.20", 1)])
def test_a_calcium_without_its_own_lln_takes_the_clinics_then_the_built_in_one(patient, nurse, clinic_lln, grade):
    """Issue 10 §4: 2.18 mmol/L is normal against the built-in LLN 2.15, grade 1 against a clinic LLN of 2.20."""
    if clinic_lln:
        LabReferenceRange.objects.create(
            clinic=patient.clinic,
            analyte="calcium_total",
            unit="mmol/L",
            lower=Decimal(clinic_lln),
            upper=Decimal("2.60"),
        )
    entry = VisitEntry(
        visit_date=TODAY, answers=all_no(), complete=True, labs=(lab("calcium_total", "2.18", "mmol/L"),)
    )
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    assert visit.evaluation["calcium"]["hypocalcaemia_grade"] == (grade or 0)
    low = visit.flags.filter(code="HYPOCALCAEMIA_LAB").first()
    assert (low.grade if low else None) == grade
    if clinic_lln:
        assert visit.lab_results.get(analyte="calcium_total").reference_lower == Decimal(clinic_lln)
