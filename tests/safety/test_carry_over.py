"""Issue 10 §3: "known and stable until" carries over only for prompt-review and routine flags that are no worse
(by tier, CTCAE grade, score total and the symptoms that fired them), and never invents a reviewer."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from freezegun import freeze_time

from checklists import selectors, services
from checklists.entries import VisitEntry
from checklists.models import Flag
from tests.conftest import all_no, lab, still_the_day

pytestmark = pytest.mark.django_db

# Reviews check "stable until" against the real today, so the visits are dated around it.
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _still_the_day_of_import():
    """The dates above were worked out at import; a run crossing midnight keeps that day."""
    with still_the_day(TODAY):
        yield


EARLIER, LATER = TODAY - datetime.timedelta(days=20), TODAY
STABLE_UNTIL = TODAY + datetime.timedelta(days=60)

SINS_7 = {
    "location": "mobile",
    "pain": "mechanical",
    "bone_lesion": "lytic",
    "alignment": "normal",
    "collapse": "none",
    "posterolateral": "none",
}
MIRELS_8 = {"site": "lower_limb", "pain": "moderate", "lesion": "mixed", "size": "1_3_to_2_3"}


def calcium(value):
    return {"labs": (lab("calcium_total", value, "mmol/L"), lab("albumin", "40", "g/L"))}


def alp(value):
    return {"labs": (lab("alp", value, "U/L", upper="147"),)}


def symptoms(*keys):
    assert set(keys) <= set(all_no()), keys
    return {"answers": all_no(**dict.fromkeys(keys, True))}


def record(patient, by, day, **entry):
    entry.setdefault("answers", all_no())
    return services.record_visit(patient=patient, seen_by=by, entry=VisitEntry(visit_date=day, complete=True, **entry))


# (what was reviewed "known and stable", what the later visit finds, the flag, whether it carries over)
CASES = [
    ("calcium grade 1 -> grade 1", calcium("2.70"), calcium("2.65"), "HYPERCALCAEMIA_LAB", True),
    ("calcium grade 1 -> grade 2, same tier", calcium("2.70"), calcium("3.00"), "HYPERCALCAEMIA_LAB", False),
    ("ALP grade 1 -> grade 1", alp("200"), alp("220"), "ALP_ELEVATED", True),
    ("ALP grade 1 (200) -> grade 3 (3100)", alp("200"), alp("3100"), "ALP_ELEVATED", False),
    ("SINS 7 -> 7", {"sins": SINS_7}, {"sins": SINS_7}, "SINS_INSTABILITY", True),
    (
        "SINS 7 -> 10, same band",
        {"sins": SINS_7},
        {"sins": SINS_7 | {"collapse": "lt_50", "posterolateral": "unilateral"}},
        "SINS_INSTABILITY",
        False,
    ),
    ("Mirels 8 -> 8", {"mirels": MIRELS_8}, {"mirels": MIRELS_8}, "MIRELS_FRACTURE_RISK", True),
    ("nausea -> nausea", symptoms("nausea"), symptoms("nausea"), "HYPERCALCAEMIA_SYMPTOMS", True),
    (
        "nausea -> nausea and extreme thirst",
        symptoms("nausea"),
        symptoms("nausea", "extreme_thirst"),
        "HYPERCALCAEMIA_SYMPTOMS",
        False,
    ),
    ("nausea -> vomiting", symptoms("nausea"), symptoms("vomiting"), "HYPERCALCAEMIA_SYMPTOMS", False),
]


@pytest.mark.parametrize(("case", "before", "after", "code", "carries"), CASES, ids=[case[0] for case in CASES])
def test_the_carry_over_table(patient, nurse, doctor, case, before, after, code, carries):
    first = record(patient, nurse, EARLIER, **before)
    reviewed = services.review_flag(
        flag=first.flags.get(code=code), by=doctor, action="patient_advised", note="", stable_until=STABLE_UNTIL
    )
    later = record(patient, nurse, LATER, **after)
    flag = later.flags.get(code=code)
    if carries:
        assert (flag.status, flag.carried_over_from_id) == ("carried_over", reviewed.pk)
        assert (flag.reviewed_by, flag.reviewed_at, flag.review_action) == (None, None, "")  # no invented reviewer
        assert flag not in selectors.worklist(nurse)
    else:
        assert (flag.status, flag.carried_over_from, flag.reviewed_by) == ("open", None, None)
        assert flag in selectors.worklist(nurse)


def test_the_stable_date_ends_the_carry_over(patient, nurse, doctor):
    first = record(patient, nurse, EARLIER, **symptoms("nausea"))
    services.review_flag(
        flag=first.flags.get(), by=doctor, action="patient_advised", note="", stable_until=TODAY + datetime.timedelta(1)
    )
    two_days_on = TODAY + datetime.timedelta(days=2)
    with freeze_time(two_days_on):  # a visit is never dated in the future
        after = record(patient, nurse, two_days_on, **symptoms("nausea"))
    assert after.flags.get().status == "open"


def test_urgent_and_emergency_flags_are_reviewed_afresh_and_never_stable_even_in_the_database(patient, nurse, doctor):
    """A pathological-fracture picture (urgent) or MSCC (emergency) reviewed before is never carried over, and
    no row, however written, can hold a "stable until" on one (migration 0018 cleared the old ones)."""
    fracture = ("sudden_severe_pain", "unable_to_move_affected_part")
    for keys, code in [(fracture, "PATHOLOGICAL_FRACTURE_SUSPECTED"), (("numbness",), "MSCC_SUSPECTED")]:
        flag = record(patient, nurse, EARLIER, **symptoms(*keys)).flags.get(code=code)
        services.review_flag(flag=flag, by=doctor, action="seen_in_clinic", note="Seen")
        with pytest.raises(IntegrityError), transaction.atomic():
            Flag.objects.filter(pk=flag.pk).update(stable_until=STABLE_UNTIL)
    later = record(patient, nurse, LATER, **symptoms(*fracture, "numbness"))
    assert {flag.code: flag.status for flag in later.flags.all()} == {
        "PATHOLOGICAL_FRACTURE_SUSPECTED": "open",
        "MSCC_SUSPECTED": "open",
    }


def test_a_review_on_a_voided_visit_does_not_carry_over(patient, nurse, doctor):
    first = record(patient, nurse, EARLIER, **symptoms("nausea"))
    services.review_flag(
        flag=first.flags.get(), by=doctor, action="patient_advised", note="", stable_until=STABLE_UNTIL
    )
    services.void_visit(visit=first, by=doctor, reason="Wrong patient")
    assert record(patient, nurse, LATER, **symptoms("nausea")).flags.get().status == "open"


def test_a_carried_flag_that_worsens_on_edit_opens_and_can_be_reviewed_afresh(patient, nurse, doctor):
    first = record(patient, nurse, EARLIER, **symptoms("nausea"))
    services.review_flag(
        flag=first.flags.get(), by=doctor, action="patient_advised", note="", stable_until=STABLE_UNTIL
    )
    later = record(patient, nurse, LATER, **symptoms("nausea"))
    assert later.flags.get().status == "carried_over"
    later = services.update_visit(
        visit=later,
        entry=VisitEntry(visit_date=LATER, answers=all_no(nausea=True, vomiting=True), complete=True),
        lock_version=later.lock_version,
        by=nurse,
    )
    opened = later.flags.get()
    assert (opened.status, opened.carried_over_from) == ("open", None)
    reviewed = services.review_flag(flag=opened, by=nurse, action="seen_in_clinic", note="")
    assert (reviewed.status, reviewed.reviewed_by) == ("reviewed", nurse)


def test_the_visit_page_names_the_review_it_carries_over_with_a_link(patient, nurse, doctor, client):
    first = record(patient, nurse, EARLIER, **symptoms("nausea"))
    services.review_flag(
        flag=first.flags.get(), by=doctor, action="patient_advised", note="Chronic", stable_until=STABLE_UNTIL
    )
    later = record(patient, nurse, LATER, **symptoms("nausea"))
    client.force_login(nurse)
    content = client.get(later.get_absolute_url()).content.decode()
    assert "Carried over from" in content
    assert (
        f'<a href="{first.get_absolute_url()}">the review of {timezone.localdate():%-d %b %Y} by Bea Doctor</a>'
        in content
    )
    summary = client.get(f"{later.get_absolute_url()}summary/").content.decode()
    assert "carried over from the review of" in summary and "by Bea Doctor" in summary


def test_a_reviewed_flag_whose_grade_rises_on_edit_opens_again_for_a_fresh_review(patient, nurse, doctor):
    """Same tier (prompt review), higher CTCAE grade: the earlier review no longer covers it."""
    visit = record(patient, nurse, LATER, **calcium("2.70"))
    services.review_flag(flag=visit.flags.get(), by=doctor, action="patient_advised", note="")
    visit.refresh_from_db()
    visit = services.update_visit(
        visit=visit,
        entry=VisitEntry(visit_date=LATER, answers=all_no(), complete=True, **calcium("3.00")),
        lock_version=visit.lock_version,
        by=nurse,
        reason="Calcium re-entered from the lab report",
    )
    flag = visit.flags.get()
    assert (flag.tier, flag.grade, flag.status, flag.reviewed_by) == ("prompt_review", 2, "open", None)


def test_a_reviewed_flag_whose_tier_rises_on_edit_opens_again_for_a_fresh_review(patient, nurse, doctor):
    """Prompt review → urgent: a review of the lesser finding never stands for the greater (issue 10 §2)."""
    visit = record(patient, nurse, LATER, **calcium("3.00"))
    services.review_flag(flag=visit.flags.get(), by=doctor, action="patient_advised", note="")
    visit.refresh_from_db()
    visit = services.update_visit(
        visit=visit,
        entry=VisitEntry(visit_date=LATER, answers=all_no(), complete=True, **calcium("3.30")),
        lock_version=visit.lock_version,
        by=nurse,
        reason="Calcium re-entered from the lab report",
    )
    flag = visit.flags.get()
    assert (flag.tier, flag.status, flag.reviewed_by, flag.reviewed_at) == ("urgent", "open", None, None)


def carried(patient, nurse, doctor):
    first = record(patient, nurse, EARLIER, **alp("200"))
    services.review_flag(
        flag=first.flags.get(), by=doctor, action="patient_advised", note="", stable_until=STABLE_UNTIL
    )
    later = record(patient, nurse, LATER, **alp("210"))
    assert later.flags.get().status == "carried_over"
    first.refresh_from_db()
    return first, later.flags.get()


def edit_alp(visit, by, value):
    return services.update_visit(
        visit=visit,
        entry=VisitEntry(visit_date=visit.visit_date, answers=all_no(), complete=True, **alp(value)),
        lock_version=visit.lock_version,
        by=by,
        reason="ALP re-entered from the lab report",
    )


@pytest.mark.parametrize(
    "undo",
    [
        lambda first, by: services.void_visit(visit=first, by=by, reason="Entered for the wrong patient"),
        lambda first, by: edit_alp(first, by, "3100"),  # the reviewed flag worsens and opens again
        lambda first, by: edit_alp(first, by, "100"),  # the reviewed flag stops firing: withdrawn
    ],
    ids=["source visit voided", "source flag reopened", "source flag withdrawn"],
)
def test_a_carried_flag_opens_when_the_review_it_relies_on_is_gone(patient, nurse, doctor, undo):
    """Issue 10 review: the later flag must not stay hidden behind a review that no longer stands."""
    first, flag = carried(patient, nurse, doctor)
    undo(first, doctor)
    flag.refresh_from_db()
    assert (flag.status, flag.carried_over_from) == ("open", None)
    assert flag in selectors.worklist(nurse)
