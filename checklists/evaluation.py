"""Turn a visit's entries into the rules engine's Findings and evaluate them (DESIGN.md §2).

Used by the services when a visit is saved and by the live flag panel before it is, so the panel always
shows what saving will store.
"""

from dataclasses import replace

from checklists import rules
from checklists.rules import units
from checklists.rules.vocabulary import SYMPTOM_KEYS

from .entries import LabEntry, VisitEntry
from .models import LabReferenceRange, Patient
from .rule_tests import staff_items


def with_reference_ranges(patient: Patient, labs, recorded=()) -> tuple[LabEntry, ...]:
    """Give every result its reference range: the one typed, else the one it was recorded with, else the clinic's
    default (RULES.md §4.1).

    `recorded` are the visit's stored results (an edit). A result keeps the range it was recorded with unless the
    person editing types another or changes its unit: a later change to the clinic's default never regrades an
    old result (issue 10).
    """
    stored = {(lab.analyte, lab.unit): lab for lab in recorded}
    resolved = []
    for lab in labs:
        # Each limit on its own: a typed ULN with no LLN still takes the recorded, else the clinic's, LLN.
        if lab.reference_upper is None or lab.reference_lower is None:
            kept = stored.get((lab.analyte, lab.unit))
            if kept is not None:
                lower, upper = kept.reference_lower, kept.reference_upper
            else:
                default = LabReferenceRange.objects.for_result(patient.clinic, lab.analyte, lab.unit)
                lower, upper = default.lower, default.upper
            lab = replace(
                lab,
                reference_lower=lower if lab.reference_lower is None else lab.reference_lower,
                reference_upper=upper if lab.reference_upper is None else lab.reference_upper,
            )
        resolved.append(lab)
    return tuple(resolved)


def _calcium(labs: dict) -> rules.CalciumResult | None:
    lab = labs.get(units.CALCIUM_TOTAL) or labs.get(units.CALCIUM_IONIZED)
    if lab is None:
        return None
    calcium_type = units.IONIZED if lab.analyte == units.CALCIUM_IONIZED else units.TOTAL
    return rules.CalciumResult(
        lab.value, lab.unit, calcium_type, lab.reference_upper, lab.reference_lower, lab.unit_confirmed
    )


def _albumin(labs: dict) -> rules.AlbuminResult | None:
    lab = labs.get(units.ALBUMIN)
    return None if lab is None else rules.AlbuminResult(lab.value, lab.unit)


def _alp(labs: dict, baseline) -> rules.AlpResult | None:
    lab = labs.get(units.ALP)
    return None if lab is None else rules.AlpResult(lab.value, lab.unit, lab.reference_upper, baseline)


def build_findings(patient: Patient, entry: VisitEntry, labs, items=()) -> rules.Findings:
    """The Findings of a visit: its answers, results with their ranges, the patient's cancer, medicines and
    recorded baseline ALP (RULES.md §4.4: only a recorded one, never an earlier visit's ALP)."""
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
        alp=_alp(by_analyte, patient.baseline_alp),
        mirels=rules.MirelsEntry(**entry.mirels) if entry.mirels else None,
        sins=rules.SinsEntry(**entry.sins) if entry.sins else None,
        staff_items=tuple(answered_yes),
    )


def evaluate_entry(patient: Patient, entry: VisitEntry, items, recorded=()) -> rules.Evaluation:
    """Evaluate what has been entered for a visit, with its results' ranges (`recorded`: an edited visit's stored
    results), and the flags of the clinic's own items of the checklist version the visit is screened with."""
    labs = with_reference_ranges(patient, entry.labs, recorded)
    return rules.evaluate(build_findings(patient, entry, labs, items))
