"""Every write of the app: keyword-only, one transaction each, validated before save (DESIGN.md §2)."""

from .actions import ActionRefused, mark_action_done, move_order
from .checklist import (
    TestCasesFail,
    current_version,
    open_clinic,
    publish_checklist,
    start_draft,
)
from .flags import WithdrawalNeedsReason
from .patients import PatientChanged, create_patient, update_patient
from .re_evaluation import compare, re_evaluate_visit
from .reviews import FlagNotOpen, FlagsNotOpen, ReviewRefused, review_flag, review_visit
from .roles import NotPermitted
from .visits import (
    VISIT_CHANGED,
    AlreadyRecorded,
    ImplausibleDates,
    ImplausibleRange,
    IncompleteScreen,
    OrderMovedOn,
    ReasonNeeded,
    VisitChanged,
    VisitVoided,
    VoidRefused,
    record_visit,
    recorded_with,
    update_visit,
    void_visit,
)

__all__ = [
    "VISIT_CHANGED",
    "ActionRefused",
    "AlreadyRecorded",
    "FlagNotOpen",
    "FlagsNotOpen",
    "NotPermitted",
    "ImplausibleRange",
    "ImplausibleDates",
    "IncompleteScreen",
    "OrderMovedOn",
    "PatientChanged",
    "ReasonNeeded",
    "ReviewRefused",
    "TestCasesFail",
    "VisitChanged",
    "VisitVoided",
    "VoidRefused",
    "WithdrawalNeedsReason",
    "compare",
    "create_patient",
    "current_version",
    "mark_action_done",
    "move_order",
    "open_clinic",
    "publish_checklist",
    "re_evaluate_visit",
    "record_visit",
    "recorded_with",
    "review_flag",
    "review_visit",
    "start_draft",
    "update_patient",
    "update_visit",
    "void_visit",
]
