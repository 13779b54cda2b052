"""A network's worth of made-up follow-up visits for the benchmark (issue 13): patients with a visit every few
months, most of them unremarkable, some with the findings clinics see (bone pain, a raised calcium or ALP, leg
weakness now and then), each recorded through the services' bulk path so the rules engine grades every one.

Deterministic for a seed: two runs make the same patients and visits.
"""

import datetime
import random
from decimal import Decimal

from checklists.entries import ImagingEntry, LabEntry, VisitEntry
from checklists.management.commands.seed_demo import FAMILY_NAMES, GIVEN_NAMES
from checklists.rules import units
from checklists.rules.scores import MIRELS_POINTS, SINS_POINTS
from checklists.rules.vocabulary import SCREEN_ITEMS

CANCERS = ("breast", "prostate", "lung", "kidney", "thyroid", "multiple_myeloma")
SITES = ("spine_thoracic", "spine_lumbar", "pelvis", "femur", "ribs", "humerus")
BONE_AGENTS = ("", "", "zoledronic_acid", "denosumab")
# How often each kind of finding turns up at a follow-up visit (a share of visits): most visits are unremarkable.
SYMPTOM_SHARE = 0.005
RAISED_CALCIUM_SHARE = 0.05
SEVERE_CALCIUM_SHARE = 0.005
RAISED_ALP_SHARE = 0.10
IMAGING_SHARE = 0.08
# A lesion scored for fracture risk (Mirels) or spinal instability (SINS) now and then.
SCORED_SHARE = 0.03
DAYS_BETWEEN_VISITS = 90


def patient_details(rng: random.Random, number: int) -> dict:
    """What services.create_patient takes for made-up patient `number` (the MRN is unique by number)."""
    return {
        "mrn": f"BENCH{number:07d}",
        "family_name": rng.choice(FAMILY_NAMES),
        "given_name": rng.choice(GIVEN_NAMES),
        "date_of_birth": datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(60 * 365)),
        "sex": rng.choice(("female", "male")),
        "primary_cancer": rng.choice(CANCERS),
        "primary_cancer_other": "",
        "known_sites": sorted(rng.sample(SITES, rng.randint(1, 3))),
        "bone_agent": rng.choice(BONE_AGENTS),
        "baseline_alp": None,
    }


def visit_dates(rng: random.Random, count: int, last_within: int, today: datetime.date) -> list[datetime.date]:
    """`count` visit dates about three months apart, oldest first, the last within `last_within` days of today."""
    last = today - datetime.timedelta(days=rng.randrange(last_within))
    return [last - datetime.timedelta(days=DAYS_BETWEEN_VISITS * back + rng.randrange(7)) for back in range(count)][
        ::-1
    ]


def visit_entry(rng: random.Random, visit_date: datetime.date) -> VisitEntry:
    """One follow-up visit: every question answered, calcium, albumin and ALP, now and then an order."""
    answers = {item.key: "yes" if rng.random() < SYMPTOM_SHARE else "no" for item in SCREEN_ITEMS}
    labs = [_calcium(rng), LabEntry(units.ALBUMIN, Decimal(rng.randint(36, 46)), units.G_L), _alp(rng)]
    imaging = ()
    if rng.random() < IMAGING_SHARE:
        imaging = (ImagingEntry(rng.choice(("mri", "ct", "xray", "bone_scan")), "spine", "routine", "follow-up"),)
    mirels = _score(rng, MIRELS_POINTS) if rng.random() < SCORED_SHARE else None
    sins = _score(rng, SINS_POINTS) if rng.random() < SCORED_SHARE else None
    return VisitEntry(
        visit_date=visit_date,
        answers=answers,
        pain_score=rng.randint(0, 6),
        labs=tuple(labs),
        imaging=imaging,
        mirels=mirels,
        sins=sins,
        next_follow_up_due=visit_date + datetime.timedelta(days=DAYS_BETWEEN_VISITS),
        complete=True,
    )


def _score(rng: random.Random, points: dict) -> dict[str, str]:
    """One answer for each part of a score, from the rules' own options."""
    return {part: rng.choice(sorted(options)) for part, options in points.items()}


def _calcium(rng: random.Random) -> LabEntry:
    draw = rng.random()
    if draw < SEVERE_CALCIUM_SHARE:
        value = Decimal("3.6")
    elif draw < RAISED_CALCIUM_SHARE:
        value = Decimal(rng.randint(260, 300)) / 100
    else:
        value = Decimal(rng.randint(215, 245)) / 100
    return LabEntry(units.CALCIUM_TOTAL, value, units.MMOL_L)


def _alp(rng: random.Random) -> LabEntry:
    value = rng.randint(150, 900) if rng.random() < RAISED_ALP_SHARE else rng.randint(40, 129)
    return LabEntry(units.ALP, Decimal(value), units.U_L)
