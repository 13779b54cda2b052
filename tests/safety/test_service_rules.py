"""Issue 10 §1: the services enforce every clinical rule about writes, whoever calls them, and the database backs
them with constraints. Each refusal here is made by calling the service (or the database) directly, no form."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from checklists import services
from checklists.entries import VisitEntry
from checklists.models import Flag, LabReferenceRange, LabResult, Patient, ScreenAnswer, Visit
from checklists.rules.flags import RULES_BY_CODE, SAFETY_FLOOR
from checklists.services import reviews
from checklists.services.visits import INCOMPLETE_SCREEN
from tests.conftest import TODAY, all_no, lab, make_patient, visit_entry

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def review(flag, by, **kwargs):
    return services.review_flag(flag=flag, by=by, **({"action": "seen_in_clinic", "note": ""} | kwargs))


# -- reviews -------------------------------------------------------------------------------------------------


def test_an_emergency_review_needs_a_note(visit, doctor):
    with pytest.raises(services.ReviewRefused) as refused:
        review(visit.flags.get(), doctor, note="   ")
    assert refused.value.problems == {"note": reviews.NOTE_REQUIRED}
    assert visit.flags.get().status == "open"


def test_an_urgent_review_needs_a_note_and_a_prompt_review_one_does_not(patient, nurse, doctor):
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(confusion=True, nausea=True))
    with pytest.raises(services.ReviewRefused):
        review(visit.flags.get(code="ALTERED_MENTAL_STATUS"), doctor)
    assert review(visit.flags.get(code="HYPERCALCAEMIA_SYMPTOMS"), doctor).status == "reviewed"


@pytest.mark.parametrize("symptom", ["limb_weakness", "confusion"])
def test_known_and_stable_is_never_allowed_on_an_urgent_or_emergency_flag(patient, nurse, doctor, symptom):
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(**{symptom: True}))
    with pytest.raises(services.ReviewRefused) as refused:
        review(visit.flags.get(), doctor, note="Seen", stable_until=TOMORROW)
    assert refused.value.problems == {"stable_until": reviews.STABLE_NOT_FOR_SERIOUS}


@pytest.mark.parametrize(
    ("days", "message"),
    [(0, reviews.STABLE_NOT_IN_FUTURE), (reviews.MAX_STABLE_DAYS + 1, reviews.STABLE_TOO_FAR)],
)
def test_known_and_stable_needs_a_date_in_the_coming_year(patient, nurse, doctor, days, message):
    visit = services.record_visit(patient=patient, seen_by=nurse, entry=visit_entry(nausea=True))
    until = timezone.localdate() + datetime.timedelta(days=days)
    with pytest.raises(services.ReviewRefused) as refused:
        review(visit.flags.get(), doctor, stable_until=until)
    assert refused.value.problems == {"stable_until": message}


@pytest.mark.parametrize("action", ["", "known_stable", "anything"])
def test_a_review_must_say_what_was_done(visit, doctor, action):
    with pytest.raises(services.ReviewRefused) as refused:
        review(visit.flags.get(), doctor, action=action, note="Seen")
    assert refused.value.problems == {"action": reviews.ACTION_UNKNOWN}


def test_a_withdrawn_flag_cannot_be_reviewed(visit, doctor):
    services.update_visit(
        visit=visit,
        entry=visit_entry(),
        lock_version=visit.lock_version,
        by=doctor,
        reason="Wrong patient",
        withdraw={"MSCC_SUSPECTED"},
    )
    with pytest.raises(services.FlagNotOpen):
        review(visit.flags.get(), doctor, note="Seen")


# -- a complete visit answers the safety floor ----------------------------------------------------------------


def test_a_visit_is_complete_only_when_every_safety_floor_item_is_answered(patient, nurse):
    answers = all_no() | {"limb_weakness": "not_asked", "confusion": "not_asked"}
    with pytest.raises(services.IncompleteScreen) as refused:
        services.record_visit(
            patient=patient, seen_by=nurse, entry=VisitEntry(visit_date=TODAY, answers=answers, complete=True)
        )
    assert {item.key for item in refused.value.items} == {"limb_weakness", "confusion"}
    assert str(refused.value).startswith(INCOMPLETE_SCREEN.split("{")[0])
    assert (Visit.objects.count(), ScreenAnswer.objects.count()) == (0, 0)
    draft = services.record_visit(
        patient=patient, seen_by=nurse, entry=VisitEntry(visit_date=TODAY, answers=answers, complete=False)
    )
    assert draft.status == "draft"
    with pytest.raises(services.IncompleteScreen):
        services.update_visit(
            visit=draft,
            entry=VisitEntry(visit_date=TODAY, answers=answers, complete=True),
            lock_version=draft.lock_version,
            by=nurse,
        )


def test_the_safety_floor_is_every_item_an_emergency_or_urgent_flag_reads():
    mscc, fracture = RULES_BY_CODE["MSCC_SUSPECTED"], RULES_BY_CODE["PATHOLOGICAL_FRACTURE_SUSPECTED"]
    assert {*mscc.triggers, *mscc.also_reads, *fracture.triggers} <= SAFETY_FLOOR
    assert {"limb_weakness", "urinary_incontinence", "confusion", "unresponsive_or_coma"} <= SAFETY_FLOOR
    assert "nausea" not in SAFETY_FLOOR and "hair_loss" not in SAFETY_FLOOR  # prompt-review or no flag


# -- the database holds the invariants --------------------------------------------------------------------------


def refused_by_database(queryset, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def test_the_database_refuses_a_review_without_a_reviewer_or_time(visit):
    flags = Flag.objects.filter(pk=visit.flags.get().pk)
    refused_by_database(flags, status="reviewed", reviewed_at=timezone.now(), review_note="x")
    refused_by_database(flags, status="reviewed", reviewed_by=visit.seen_by, review_note="x")


def test_the_database_refuses_a_serious_review_without_a_note_and_a_stable_emergency(visit):
    flags = Flag.objects.filter(pk=visit.flags.get().pk)
    refused_by_database(flags, status="reviewed", reviewed_by=visit.seen_by, reviewed_at=timezone.now())
    refused_by_database(flags, stable_until=TODAY)


def test_the_database_refuses_a_withdrawal_without_who_when_why(visit):
    flags = Flag.objects.filter(pk=visit.flags.get().pk)
    refused_by_database(flags, status="withdrawn", withdrawn_at=timezone.now(), withdrawn_by=visit.seen_by)
    refused_by_database(flags, status="withdrawn", withdrawn_reason="x", withdrawn_by=visit.seen_by)
    refused_by_database(flags, status="withdrawn", withdrawn_reason="x", withdrawn_at=timezone.now())
    refused_by_database(flags, status="carried_over")
    refused_by_database(flags, status="closed")
    refused_by_database(flags, tier="none")


def test_the_database_refuses_unknown_choices_and_a_range_upside_down(patient, nurse):
    visit = services.record_visit(
        patient=patient,
        seen_by=nurse,
        entry=visit_entry(labs=[lab("calcium_total", "2.40", "mmol/L"), lab("albumin", "40", "g/L")]),
    )
    refused_by_database(ScreenAnswer.objects.filter(visit=visit), answer="maybe")
    refused_by_database(Visit.objects.filter(pk=visit.pk), status="half")
    calcium = LabResult.objects.filter(visit=visit, analyte="calcium_total")
    refused_by_database(calcium, reference_lower=Decimal("2.60"), reference_upper=Decimal("2.60"))
    refused_by_database(calcium, unit="g/L")
    refused_by_database(Patient.objects.filter(pk=patient.pk), baseline_alp=Decimal("100"))


def test_a_reference_range_is_validated_whoever_saves_it(clinic_a):
    wrong_unit = LabReferenceRange(clinic=clinic_a, analyte="calcium_total", unit="g/L", lower=2, upper=3)
    with pytest.raises(ValidationError) as refused:
        wrong_unit.full_clean()
    assert refused.value.message_dict == {"unit": ["g/L is not a unit of calcium; use mg/dL or mmol/L."]}
    other_unit = LabReferenceRange(clinic=clinic_a, analyte="calcium_total", unit="mmol/L", lower=8.6, upper=10.2)
    with pytest.raises(ValidationError) as refused:
        other_unit.full_clean()
    assert set(refused.value.message_dict) == {"lower", "upper"}


def test_a_baseline_alp_is_saved_only_with_its_date(clinic_a):
    with pytest.raises(ValidationError) as refused:
        make_patient(clinic_a, baseline_alp=Decimal("200"))
    assert list(refused.value.message_dict) == ["baseline_alp_measured_on"]
    assert Patient.objects.count() == 0
