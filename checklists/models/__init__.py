from .autosave import AutosavedVisitForm
from .checklist import ChecklistItem, ChecklistVersion
from .clinic import CLINIC_ADMIN, CLINIC_STAFF, ROLE_RANK, Clinic, LabReferenceRange, Membership, Role
from .flag import Flag, Recommendation
from .notification import Channel, Delivery, Notification, Purpose
from .patient import Patient
from .security_event import SecurityAction, SecurityEvent
from .source import Source
from .test_case import RuleTestCase
from .user import User
from .visit import FractureRiskScore, ImagingOrder, LabResult, ScreenAnswer, Visit

__all__ = [
    "AutosavedVisitForm",
    "CLINIC_ADMIN",
    "CLINIC_STAFF",
    "ROLE_RANK",
    "Role",
    "ChecklistItem",
    "ChecklistVersion",
    "Clinic",
    "Channel",
    "Delivery",
    "Flag",
    "FractureRiskScore",
    "ImagingOrder",
    "LabReferenceRange",
    "LabResult",
    "Membership",
    "Notification",
    "Patient",
    "Purpose",
    "Recommendation",
    "RuleTestCase",
    "SecurityAction",
    "SecurityEvent",
    "ScreenAnswer",
    "Source",
    "User",
    "Visit",
]
