"""Turn a visit's entries into the rules engine's Findings and evaluate them (DESIGN.md §2).

Used by the services when a visit is saved and by the live flag panel before it is, so the panel always
shows what saving will store.
"""

import datetime
from dataclasses import replace

from checklists import rules
from checklists.rules import units
from checklists.rules.vocabulary import SYMPTOM_KEYS

from .entries import LabEntry, VisitEntry
from .models import LabReferenceRange, LabResult, Patient
from .rule_tests import staff_items


def with_reference_ranges(patient: Patient, labs) -> tuple[LabEntry, ...]:
    """Copy the clinic's default range onto every result given without an upper limit (RULES.md §4.1)."""
    resolved = []
    for lab in labs:
        if lab.reference_upper is None:
            default = LabReferenceRange.objects.for_result(patient.clinic, lab.analyte, lab.unit)
            lab = replace(lab, reference_lower=default.lower, reference_upper=default.upper)
        resolved.append(lab)
    return tuple(resolved)


def baseline_alp(patient: Patient, visit_date: datetime.date, exclude_visit_id=None):
    """Return the patient's baseline ALP: the one entered, else the first ALP of an earlier visit.

    Decision (safety): a visit's own ALP is never its own baseline, or a first high ALP would be graded
    against itself and hidden.
    """
    if patient.baseline_alp is not None:
        return patient.baseline_alp
    earlier = LabResult.objects.filter(
        visit__patient=patient, analyte=units.ALP, visit__visit_date__lte=visit_date
    ).exclude(visit_id=exclude_visit_id)
    first = earlier.order_by("visit__visit_date", "visit__created_at").values_list("value", flat=True).first()
    return first


def _calcium(labs: dict) -> rules.CalciumResult | None:
    lab = labs.get(units.CALCIUM_TOTAL) or labs.get(units.CALCIUM_IONIZED)
    if lab is None:
        return None
    calcium_type = units.IONIZED if lab.analyte == units.CALCIUM_IONIZED else units.TOTAL
    return rules.CalciumResult(lab.value, lab.unit, calcium_type, lab.reference_upper)


def _albumin(labs: dict) -> rules.AlbuminResult | None:
    lab = labs.get(units.ALBUMIN)
    return None if lab is None else rules.AlbuminResult(lab.value, lab.unit)


def _alp(labs: dict, baseline) -> rules.AlpResult | None:
    lab = labs.get(units.ALP)
    return None if lab is None else rules.AlpResult(lab.value, lab.unit, lab.reference_upper, baseline)


def build_findings(patient: Patient, entry: VisitEntry, labs, alp_baseline, items=()) -> rules.Findings:
    by_analyte = {lab.analyte: lab for lab in labs}
    answered_yes = [item for item in staff_items(items) if entry.answers.get(item.key) == "yes"]
    return rules.Findings(
        primary_cancer=patient.primary_cancer_key,
        known_sites=frozenset(patient.known_sites),
        symptoms=frozenset(key for key, answer in entry.answers.items() if answer == "yes" and key in SYMPTOM_KEYS),
        medications=frozenset([patient.bone_agent]) if patient.bone_agent else frozenset(),
        imaging_ordered=frozenset(order.modality for order in entry.imaging),
        calcium=_calcium(by_analyte),
        albumin=_albumin(by_analyte),
        alp=_alp(by_analyte, alp_baseline),
        mirels=rules.MirelsEntry(**entry.mirels) if entry.mirels else None,
        sins=rules.SinsEntry(**entry.sins) if entry.sins else None,
        staff_items=tuple(answered_yes),
    )


def evaluate_entry(patient: Patient, entry: VisitEntry, items, exclude_visit_id=None) -> rules.Evaluation:
    """Evaluate what has been entered for a visit, with the clinic's ranges, the patient's ALP baseline and the
    flags of the clinic's own items of the checklist version the visit is screened with."""
    labs = with_reference_ranges(patient, entry.labs)
    alp_baseline = baseline_alp(patient, entry.visit_date, exclude_visit_id)
    return rules.evaluate(build_findings(patient, entry, labs, alp_baseline, items))
