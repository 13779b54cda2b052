"""Shape stored and previewed evaluations for the templates, so the pages show both the same way."""

from decimal import Decimal

from django.utils import timezone

from checklists import selectors
from checklists.models.choices import FlagStatus
from checklists.rules import labs, scores, units
from checklists.rules.tiers import SERIOUS, Tier, counted


def _card(tier: Tier, title: str, reason: str, sources: list[dict], code: str, flag=None) -> dict:
    return {"tier": tier, "title": title, "reason": reason, "sources": sources, "code": code, "flag": flag}


def flag_cards(flags) -> list[dict]:
    """Stored flags, with the citations kept when they were raised, and their review."""
    return [_card(flag.tier_enum, flag.title, flag.reason, flag.sources, flag.code, flag) for flag in flags]


def flag_panel_context(evaluation, **extra) -> dict:
    """What the live flag panel (_flag_panel.html) shows for an evaluation: the visit form's and the admin's
    draft preview's."""
    cards = preview_cards(evaluation)
    # "summary" is the one line a phone shows while the panel is folded away.
    return {
        "cards": cards,
        "summary": counted(card["tier"] for card in cards),
        "evaluation": evaluation,
        "score_max": SCORE_MAX,
    } | extra


def preview_cards(evaluation) -> list[dict]:
    """Flags of an evaluation not yet saved, with today's citations."""
    citations = selectors.citations()
    return [
        _card(flag.tier, flag.title, flag.reason, [citations.get(key, {"key": key}) for key in flag.sources], flag.code)
        for flag in evaluation.flags
    ]


ANALYTE_LABELS = {
    units.CALCIUM_TOTAL: "Calcium (total)",
    units.CALCIUM_IONIZED: "Calcium (ionized)",
    units.ALBUMIN: "Albumin",
    units.ALP: "ALP",
}


def _quantity(stored: dict | None) -> tuple[Decimal, str] | None:
    """A value of the stored evaluation document, back as the Decimal it was rounded from."""
    return None if stored is None else (Decimal(str(stored["value"])), stored["unit"])


def calcium_lines(calcium: dict) -> dict:
    """What the rules made of a calcium, in the words and precision every page uses."""
    corrected, converted = _quantity(calcium.get("corrected")), _quantity(calcium.get("corrected_converted"))
    return {
        "kind": "calcium",
        "corrected": f"{units.shown(*corrected)} {corrected[1]}" if corrected else "",
        # Shown for reading only: RULES.md §4.1 grades the value in the unit it was reported in.
        "converted": f"{units.shown(*converted)} {converted[1]} \u2014 graded on the {corrected[1]} scale"
        if corrected and converted
        else "",
        "not_corrected": calcium.get("basis") == labs.BASIS_UNCORRECTED,
        "grade": labs.calcium_grade_in_words(calcium.get("ctcae_grade") or 0, calcium.get("hypocalcaemia_grade") or 0),
    }


def alp_lines(alp: dict) -> dict:
    return {
        "kind": "alp",
        "ratio": f"{units.fmt(Decimal(str(alp['ratio'])))} \u00d7 {alp['reference']}",
        "grade": f"CTCAE grade {alp['ctcae_grade']}",
    }


def lab_rows(visit, evaluation: dict) -> list[dict]:
    """Each result with its range, and for calcium and ALP what the rules made of it, every number at its unit's
    displayed precision."""
    calcium, alp = evaluation.get("calcium"), evaluation.get("alp")
    rows = []
    order = list(ANALYTE_LABELS)
    for lab in sorted(visit.lab_results.all(), key=lambda lab: order.index(lab.analyte)):
        row = {
            "lab": lab,
            "label": ANALYTE_LABELS[lab.analyte],
            "derived": None,
            "value": units.shown(lab.value, lab.unit),
            "lower": units.shown(lab.reference_lower, lab.unit),
            "upper": units.shown(lab.reference_upper, lab.unit),
        }
        if lab.analyte in (units.CALCIUM_TOTAL, units.CALCIUM_IONIZED) and calcium:
            row["derived"] = calcium_lines(calcium)
        elif lab.analyte == units.ALP and alp:
            row["derived"] = alp_lines(alp)
        rows.append(row)
    return rows


DRAFT_NOT_COMPLETE = "Draft \u2014 screen not complete: {count} safety question{s} not asked"
DRAFT = "Draft \u2014 not completed yet"


def draft_note(visit, unasked: int) -> str:
    """What a draft says in place of any "No flags": it is not a finished screen (issue 11). Empty when complete."""
    if visit.status != "draft":
        return ""
    if unasked:
        return DRAFT_NOT_COMPLETE.format(count=unasked, s="" if unasked == 1 else "s")
    return DRAFT


SCORE_MAX = {"mirels": scores.MIRELS_MAX, "sins": scores.SINS_MAX}


def score_rows(visit) -> list[dict]:
    return [
        {"score": score, "band": scores.BAND_LABELS.get(score.band, score.band), "out_of": SCORE_MAX[score.kind]}
        for score in visit.scores.all()
    ]


def cited_sources(cards: list[dict]) -> list[dict]:
    """Every citation the flags rely on, once each, in the order they are first cited."""
    cited = {}
    for card in cards:
        for source in card["sources"]:
            cited.setdefault(source["key"], source)
    return list(cited.values())


def reviewed_banner(tier: Tier, flags) -> str:
    """Once every flag of the visit's tier is reviewed, the banner says who did it and when instead of what to do
    ("Act now" over an emergency signed off an hour ago would send a second team running): issue 15 §3."""
    top = [flag for flag in flags if flag.tier == tier.value and flag.status != FlagStatus.WITHDRAWN]
    if tier not in SERIOUS or not top or any(flag.status != FlagStatus.REVIEWED for flag in top):
        return ""
    last = max(top, key=lambda flag: flag.reviewed_at)
    when = timezone.localtime(last.reviewed_at)
    return f"{tier.label} reviewed by {last.reviewed_by} at {when:%H:%M} on {when.day} {when:%b %Y}."


def visit_page_context(visit) -> dict:
    answers = selectors.visit_answers(visit)
    flags = list(selectors.visit_flags(visit))
    cards = flag_cards([flag for flag in flags if flag.status != FlagStatus.WITHDRAWN])
    return {
        "visit": visit,
        "patient": visit.patient,
        "draft_note": draft_note(visit, selectors.unasked_floor(visit)) if visit.status == "draft" else "",
        "tier": visit.tier_enum,
        "reviewed_banner": reviewed_banner(visit.tier_enum, flags),
        "open_flag_count": sum(flag.status == FlagStatus.OPEN for flag in flags),
        "cards": cards,
        "withdrawn": [flag for flag in flags if flag.status == FlagStatus.WITHDRAWN],
        "cited_sources": cited_sources(cards),
        "recommendations": visit.recommendations.select_related("done_by").order_by("pk"),
        "labs": lab_rows(visit, visit.evaluation),
        "imaging": visit.imaging_orders.select_related("status_by"),
        "scores": score_rows(visit),
        "answers": answers,
        "positive_answers": [a for a in answers if a.answer == "yes"],
        "negative_answers": [a for a in answers if a.answer == "no"],
        "unasked_answers": [a for a in answers if a.answer == "not_asked"],
    }


def visit_facts(visit) -> dict:
    """What a reviewer needs beside the flags (issue 15 §3): the labs with their grades, the scores, the positive
    answers and the recommended actions (which say whether the imaging they need was ordered)."""
    answers = selectors.visit_answers(visit)
    return {
        "labs": lab_rows(visit, visit.evaluation),
        "scores": score_rows(visit),
        "positive_answers": [answer for answer in answers if answer.answer == "yes"],
        "recommendations": list(visit.recommendations.select_related("done_by").order_by("pk")),
    }
