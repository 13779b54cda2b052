"""Services: every write in one transaction; flags stored with their identity, reason and sources."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from checklists import services
from checklists.entries import ImagingEntry, VisitEntry
from checklists.models import Flag, LabReferenceRange, LabResult, ScreenAnswer, Visit
from checklists.rules import FindingsError

from .conftest import TODAY, all_no, lab, make_patient, visit_entry

pytestmark = pytest.mark.django_db


def test_record_visit_stores_every_answer_and_the_emergency(visit):
    assert visit.answers.count() == 29
    assert visit.answers.get(item__key="limb_weakness").answer == "yes"
    assert visit.tier == "emergency"
    flag = visit.flags.get()
    assert flag.code == "MSCC_SUSPECTED"
    assert flag.tier == "emergency"
    assert flag.reason.startswith("New weakness in the legs or arms")
    assert flag.sources[0]["key"] == "CRUK-2013"
    assert flag.sources[0]["title"] == "Symptoms and treatment of secondary bone cancer"
    assert flag.rules_version == visit.rules_version
    assert visit.recommendations.get().code == "MRI_WHOLE_SPINE_24H"
    assert visit.evaluation["visit_tier"] == "emergency"


def test_leg_weakness_and_high_calcium_raise_both_flags(patient, nurse):
    entry = visit_entry(labs=[lab("calcium_total", "3.2", "mmol/L"), lab("albumin", "30", "g/L")], limb_weakness=True)
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    flags = {flag.code: flag for flag in visit.flags.all()}
    assert flags["MSCC_SUSPECTED"].tier == "emergency"
    assert flags["HYPERCALCAEMIA_LAB"].tier == "urgent"
    assert flags["HYPERCALCAEMIA_LAB"].reason == "Corrected calcium 3.40 mmol/L \u2014 CTCAE grade 3 (>3.1\u20133.4)"
    assert visit.evaluation["calcium"]["corrected"] == {"value": 3.4, "unit": "mmol/L"}


def test_clinic_default_range_is_copied_onto_a_result_given_without_one(patient, nurse, clinic_a):
    LabReferenceRange.objects.create(
        clinic=clinic_a, analyte="calcium_total", unit="mmol/L", lower=Decimal("2.20"), upper=Decimal("2.60")
    )
    entry = visit_entry(labs=[lab("calcium_total", "2.58", "mmol/L"), lab("albumin", "40", "g/L")])
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    calcium = visit.lab_results.get(analyte="calcium_total")
    assert (calcium.reference_lower, calcium.reference_upper) == (Decimal("2.20"), Decimal("2.60"))
    assert calcium.reference_from_clinic_default is True
    assert visit.tier == "none"  # 2.58 is under this clinic's ULN of 2.60
    albumin = visit.lab_results.get(analyte="albumin")
    assert (albumin.reference_lower, albumin.reference_upper) == (Decimal("35"), Decimal("50"))  # built-in default


def test_a_reported_range_is_kept_as_reported(patient, nurse):
    entry = visit_entry(labs=[lab("calcium_total", "10.4", "mg/dL", upper="10.5", lower="8.6")])
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    calcium = visit.lab_results.get()
    assert (calcium.reference_lower, calcium.reference_upper) == (Decimal("8.6"), Decimal("10.5"))
    assert calcium.reference_from_clinic_default is False
    assert calcium.collected_on == TODAY


def test_imaging_satisfies_the_recommendation(patient, nurse):
    entry = VisitEntry(
        visit_date=TODAY, answers=all_no(limb_weakness=True), imaging=(ImagingEntry("mri", "whole spine", "emergency"),)
    )
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    assert visit.imaging_orders.get().modality == "mri"
    assert visit.recommendations.get().satisfied is True


def test_scores_are_stored_with_their_totals(patient, nurse):
    mirels = {"site": "lower_limb", "pain": "moderate", "lesion": "lytic", "size": "1_3_to_2_3"}
    entry = VisitEntry(visit_date=TODAY, answers=all_no(), mirels=mirels)
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    score = visit.scores.get()
    assert (score.kind, score.total, score.band, score.components) == ("mirels", 9, "high", mirels)
    assert visit.flags.get().code == "MIRELS_FRACTURE_RISK"


def test_nothing_is_saved_when_evaluation_refuses(patient, nurse):
    """A value no form would pass still rolls the whole visit back: no visit, no answers, no labs."""
    entry = visit_entry(labs=[lab("calcium_total", "250", "mg/dL")])
    with pytest.raises(FindingsError):
        services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    assert Visit.objects.count() == 0
    assert ScreenAnswer.objects.count() == 0
    assert LabResult.objects.count() == 0


def test_editing_keeps_a_flag_that_still_fires_and_withdraws_one_that_stopped(visit):
    mscc = visit.flags.get()
    entry = visit_entry(limb_weakness=True, nausea=True)
    visit = services.update_visit(visit=visit, entry=entry, lock_version=visit.lock_version, by=visit.seen_by)
    assert visit.flags.get(code="MSCC_SUSPECTED").pk == mscc.pk
    assert visit.flags.get(code="HYPERCALCAEMIA_SYMPTOMS").status == "open"

    visit = services.update_visit(
        visit=visit,
        entry=visit_entry(nausea=True),
        lock_version=visit.lock_version,
        by=visit.seen_by,
        reason="Weakness was ticked for the wrong patient",
        withdraw={"MSCC_SUSPECTED"},
    )
    withdrawn = Flag.objects.get(pk=mscc.pk)
    assert (withdrawn.status, withdrawn.withdrawn_by) == ("withdrawn", visit.seen_by)
    assert withdrawn.withdrawn_reason == "Weakness was ticked for the wrong patient"
    assert visit.tier == "prompt_review"

    visit = services.update_visit(
        visit=visit, entry=visit_entry(limb_weakness=True), lock_version=visit.lock_version, by=visit.seen_by
    )
    reopened = Flag.objects.get(pk=mscc.pk)
    assert (reopened.status, reopened.withdrawn_at, reopened.withdrawn_reason) == ("open", None, "")
    assert visit.tier == "emergency"


def test_editing_replaces_labs_and_imaging(patient, nurse):
    entry = VisitEntry(
        visit_date=TODAY, answers=all_no(), labs=(lab("alp", "400", "U/L"),), imaging=(ImagingEntry("xray", "pelvis"),)
    )
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=entry)
    entry = VisitEntry(visit_date=TODAY, answers=all_no(), labs=(lab("albumin", "40", "g/L"),))
    visit = services.update_visit(visit=visit, entry=entry, lock_version=visit.lock_version, by=visit.seen_by)
    assert list(visit.lab_results.values_list("analyte", flat=True)) == ["albumin"]
    assert visit.imaging_orders.count() == 0
    assert visit.flags.get().status == "withdrawn"


def test_a_stale_edit_is_refused(visit):
    services.update_visit(
        visit=visit,
        entry=visit_entry(nausea=True),
        lock_version=visit.lock_version,
        by=visit.seen_by,
        reason="Typo",
        withdraw={"MSCC_SUSPECTED"},
    )
    with pytest.raises(services.VisitChanged):
        services.update_visit(visit=visit, entry=visit_entry(), lock_version=visit.lock_version, by=visit.seen_by)
    assert Visit.objects.get(pk=visit.pk).answers.get(item__key="nausea").answer == "yes"


def test_a_baseline_entered_on_the_patient_wins(clinic_a, nurse):
    patient = make_patient(
        clinic_a, mrn="A777", baseline_alp=Decimal("200"), baseline_alp_measured_on=TODAY - datetime.timedelta(days=30)
    )
    visit = services.record_visit(
        patient=patient,
        seen_by=nurse,
        entry=VisitEntry(visit_date=TODAY, answers=all_no(), labs=(lab("alp", "400", "U/L"),)),
    )
    assert visit.evaluation["alp"]["reference"] == "baseline"
    assert visit.evaluation["alp"]["ctcae_grade"] == 1


def test_onj_uses_the_patients_bone_agent(clinic_a, nurse):
    patient = make_patient(clinic_a, mrn="A555", bone_agent="denosumab")
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(jaw_symptoms=True))
    assert visit.flags.get().code == "ONJ_SYMPTOMS"


def test_history_records_who_changed_what(visit, nurse):
    history = visit.history.order_by("history_date")
    assert history.first().history_type == "+"
    answer = visit.answers.get(item__key="limb_weakness")
    assert answer.history.first().answer == "yes"
    flag = visit.flags.get()
    assert flag.history.count() >= 1


def test_create_patient_refuses_a_duplicate_mrn(patient, clinic_a, clinic_b):
    with pytest.raises(ValidationError):
        make_patient(clinic_a, mrn=patient.mrn)
    assert make_patient(clinic_b, mrn=patient.mrn).clinic == clinic_b  # unique per clinic only


# -- reviews --------------------------------------------------------------------------------------------------


def review(flag, by, **extra):
    return services.review_flag(
        flag=flag, by=by, action=extra.pop("action", "seen_in_clinic"), note=extra.pop("note", "Seen"), **extra
    )


def test_a_review_is_kept_when_the_flag_still_fires_unchanged(visit, doctor):
    flag = review(visit.flags.get(), doctor)
    visit = services.update_visit(
        visit=visit,
        entry=visit_entry(limb_weakness=True, hair_loss=True),
        lock_version=visit.lock_version,
        by=doctor,
        reason="Hair loss added after the review",
    )
    kept = visit.flags.get()
    assert (kept.pk, kept.status, kept.reviewed_by, kept.review_note) == (flag.pk, "reviewed", doctor, "Seen")


def test_a_flag_whose_tier_rose_is_open_again(patient, nurse, doctor):
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(confusion=True))
    flag = review(visit.flags.get(), doctor)
    assert flag.tier == "urgent"
    visit = services.update_visit(
        visit=visit,
        entry=visit_entry(unresponsive_or_coma=True),
        lock_version=visit.lock_version,
        by=doctor,
        reason="Now hard to rouse",
    )
    reopened = visit.flags.get()
    assert (reopened.pk, reopened.tier, reopened.status, reopened.reviewed_by) == (flag.pk, "emergency", "open", None)
    assert reopened.history.filter(status="reviewed").exists()  # the earlier review is kept in the history


def test_reviewing_twice_is_refused(visit, doctor, nurse):
    flag = review(visit.flags.get(), doctor)
    with pytest.raises(services.FlagNotOpen):
        review(flag, nurse)
