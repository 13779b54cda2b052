"""What completes a recommended action and how long it may stay open (issue 15 §4), against RULES.md §7."""

import pytest

from checklists.rules import recommendations as r
from checklists.rules.follow_through import ANSWERS, COMPLETED_BY_IMAGING, DUE_HOURS, completed_by


def test_every_action_has_a_clock_and_the_flags_it_answers():
    assert {action.code for action in r.ACTIONS} == set(ANSWERS)
    assert {action.due for action in r.ACTIONS} == set(DUE_HOURS)
    assert DUE_HOURS == {"same day": 24, "within 24 hours": 24, "within days": 168, "within 1 week": 168}


@pytest.mark.parametrize(
    ("code", "modality", "completes"),
    [
        (r.MRI_WHOLE_SPINE_24H, "mri", True),
        (r.MRI_WHOLE_SPINE_24H, "ct", False),
        (r.MRI_WHOLE_SPINE_1W, "mri", True),
        (r.MRI_WHOLE_SPINE_1W, "xray", False),
        (r.XRAY_PAINFUL_BONE, "xray", True),
        (r.XRAY_PAINFUL_BONE, "ct", True),
        (r.XRAY_PAINFUL_BONE, "mri", False),
        (r.IMAGE_NEW_PAIN, "bone_scan", True),
        (r.IMAGE_NEW_PAIN, "pet", True),
        (r.FULL_BLOOD_COUNT, "mri", False),
        (r.ORTHOPAEDIC_OPINION, "xray", False),
    ],
)
def test_a_done_order_completes_only_the_actions_it_is_for(code, modality, completes):
    assert completed_by(code, modality) is completes


def test_only_imaging_actions_are_completed_by_an_order():
    assert set(COMPLETED_BY_IMAGING) == {
        r.MRI_WHOLE_SPINE_24H,
        r.MRI_WHOLE_SPINE_1W,
        r.XRAY_PAINFUL_BONE,
        r.IMAGE_NEW_PAIN,
    }
