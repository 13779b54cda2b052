"""What a form hands to a service: plain, validated domain values (no ORM, no request)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class LabEntry:
    analyte: str  # units.CALCIUM_TOTAL | CALCIUM_IONIZED | ALBUMIN | ALP
    value: Decimal
    unit: str
    reference_lower: Decimal | None = None
    reference_upper: Decimal | None = None  # None: the range recorded with it, else the clinic's default
    collected_on: datetime.date | None = None
    # The person entering it confirmed the unit of a value that reads as an emergency either way (RULES.md §4.5).
    unit_confirmed: bool = False
    # Set when the range is resolved (evaluation.with_reference_ranges): it is the clinic's default, not typed.
    range_from_default: bool = False


@dataclass(frozen=True)
class ImagingEntry:
    modality: str
    region: str
    urgency: str = "routine"
    reason: str = ""


@dataclass(frozen=True)
class VisitEntry:
    visit_date: datetime.date
    answers: dict[str, str] = field(default_factory=dict)  # item key -> yes | no | not_asked
    pain_score: int | None = None
    labs: tuple[LabEntry, ...] = ()
    imaging: tuple[ImagingEntry, ...] = ()
    mirels: dict[str, str] | None = None
    sins: dict[str, str] | None = None
    notes: str = ""
    next_follow_up_due: datetime.date | None = None
    complete: bool = False
