"""Every write of the app: keyword-only, one transaction each, validated before save (DESIGN.md §2)."""

from .checklist import TestCasesFail, publish_checklist, start_draft
from .patients import create_patient, update_patient
from .reviews import FlagNotOpen, review_flag
from .visits import VISIT_CHANGED, VisitChanged, record_visit, update_visit

__all__ = [
    "VISIT_CHANGED",
    "FlagNotOpen",
    "TestCasesFail",
    "VisitChanged",
    "create_patient",
    "publish_checklist",
    "record_visit",
    "review_flag",
    "start_draft",
    "update_patient",
    "update_visit",
]
