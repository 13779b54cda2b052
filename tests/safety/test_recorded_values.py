"""Issue 10 §2 and §4.4: an edit regrades a result only with what was recorded with it, and the ALP baseline is
only one a clinician recorded on the patient."""

import datetime
from decimal import Decimal

import pytest

from checklists import services
from checklists.entries import VisitEntry
from checklists.models import LabReferenceRange
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
