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

RANGE_CROSSED = (
    "The lower limit {lower} {unit} is not below the upper limit {upper} {unit} used with it (an empty limit is the "
    "clinic's default). Type both limits, or correct this one."
)


def with_reference_ranges(patient: Patient, labs, recorded=(), ranges=None) -> tuple[LabEntry, ...]:
    """Give every result its reference range (RULES.md §4.1), as a pair:

    - limits typed: those (an empty one is the clinic's default);
    - none typed, and the result was recorded with the clinic's default (an edit): the range it was recorded
      with, so a later change of the default never regrades an old result (issue 10);
    - none typed otherwise (a new result, or a typed range the person cleared): the clinic's default now.

    `recorded` are the visit's stored results. The edit form shows a typed range and leaves a default one empty,
    so an unchanged result comes back exactly as it was recorded. `ranges` are the clinic's (read here, once, when
    not given).
    """
    if ranges is None and labs:
        ranges = LabReferenceRange.objects.of_clinic(patient.clinic)
    stored = {(lab.analyte, lab.unit): lab for lab in recorded}
    resolved = []
    for lab in labs:
        kept = stored.get((lab.analyte, lab.unit))
        typed = lab.reference_lower is not None or lab.reference_upper is not None
        if not typed and kept is not None and kept.reference_from_clinic_default:
            lower, upper, from_default = kept.reference_lower, kept.reference_upper, True
        else:
            default = ranges.for_result(lab.analyte, lab.unit)
            lower = lab.reference_lower if lab.reference_lower is not None else default.lower
            upper = lab.reference_upper if lab.reference_upper is not None else default.upper
            from_default = not typed
        resolved.append(replace(lab, reference_lower=lower, reference_upper=upper, range_from_default=from_default))
    return tuple(resolved)


def range_problems(labs) -> dict[str, str]:
    """The results whose resolved range is no range (a typed limit on the wrong side of the default one), by
    analyte, with what to do."""
    return {
        lab.analyte: RANGE_CROSSED.format(
            lower=units.fmt(lab.reference_lower), upper=units.fmt(lab.reference_upper), unit=lab.unit
        )
        for lab in labs
        if lab.reference_lower is not None and lab.reference_lower >= lab.reference_upper
    }


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


def baseline_alp_at(patient: Patient, visit_date):
    """The patient's recorded baseline ALP if it was measured by the visit's date: a baseline measured later says
    nothing about an earlier visit (an edit or re-evaluation of it must not regrade it)."""
    measured = patient.baseline_alp_measured_on
    if patient.baseline_alp is None or measured is None or measured > visit_date:
        return None
    return patient.baseline_alp


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
        alp=_alp(by_analyte, baseline_alp_at(patient, entry.visit_date)),
        mirels=rules.MirelsEntry(**entry.mirels) if entry.mirels else None,
        sins=rules.SinsEntry(**entry.sins) if entry.sins else None,
        staff_items=tuple(answered_yes),
    )


def evaluate_entry(patient: Patient, entry: VisitEntry, items, recorded=(), ranges=None) -> rules.Evaluation:
    """Evaluate what has been entered for a visit, with its results' ranges (`recorded`: an edited visit's stored
    results), and the flags of the clinic's own items of the checklist version the visit is screened with.

    A result whose range is no range is left out (the live panel); saving refuses it (services.visits)."""
    labs = with_reference_ranges(patient, entry.labs, recorded, ranges)
    crossed = range_problems(labs)
    labs = tuple(lab for lab in labs if lab.analyte not in crossed)
    return rules.evaluate(build_findings(patient, entry, labs, items))
