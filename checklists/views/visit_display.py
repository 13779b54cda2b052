"""Shape stored and previewed evaluations for the templates, so the pages show both the same way."""

from checklists import selectors
from checklists.rules import units
from checklists.rules.scores import BAND_LABELS
from checklists.rules.tiers import Tier


def _card(tier: Tier, title: str, reason: str, sources: list[dict], code: str, flag=None) -> dict:
    return {"tier": tier, "title": title, "reason": reason, "sources": sources, "code": code, "flag": flag}


def flag_cards(flags) -> list[dict]:
    """Stored flags, with the citations kept when they were raised, and their review."""
    return [_card(flag.tier_enum, flag.title, flag.reason, flag.sources, flag.code, flag) for flag in flags]


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


def lab_rows(visit, evaluation: dict) -> list[dict]:
    """Each result with its range, and for calcium and ALP what the rules made of it."""
    calcium, alp = evaluation.get("calcium"), evaluation.get("alp")
    rows = []
    order = list(ANALYTE_LABELS)
    for lab in sorted(visit.lab_results.all(), key=lambda lab: order.index(lab.analyte)):
        row = {
            "lab": lab,
            "label": ANALYTE_LABELS[lab.analyte],
            "derived": None,
            "value": units.plain(lab.value),
            "lower": units.plain(lab.reference_lower),
            "upper": units.plain(lab.reference_upper),
        }
        if lab.analyte in (units.CALCIUM_TOTAL, units.CALCIUM_IONIZED) and calcium:
            row["derived"] = {"kind": "calcium", **calcium}
        elif lab.analyte == units.ALP and alp:
            row["derived"] = {"kind": "alp", **alp}
        rows.append(row)
    return rows


def score_rows(visit) -> list[dict]:
    return [
        {
            "score": score,
            "band": BAND_LABELS.get(score.band, score.band),
            "out_of": 12 if score.kind == "mirels" else 18,
        }
        for score in visit.scores.all()
    ]


def cited_sources(cards: list[dict]) -> list[dict]:
    """Every citation the flags rely on, once each, in the order they are first cited."""
    cited = {}
    for card in cards:
        for source in card["sources"]:
            cited.setdefault(source["key"], source)
    return list(cited.values())


def visit_page_context(visit) -> dict:
    answers = selectors.visit_answers(visit)
    cards = flag_cards(selectors.visit_flags(visit))
    return {
        "visit": visit,
        "patient": visit.patient,
        "tier": visit.tier_enum,
        "cards": cards,
        "cited_sources": cited_sources(cards),
        "recommendations": visit.recommendations.order_by("pk"),
        "labs": lab_rows(visit, visit.evaluation),
        "imaging": visit.imaging_orders.all(),
        "scores": score_rows(visit),
        "answers": answers,
        "positive_answers": [a for a in answers if a.answer == "yes"],
        "negative_answers": [a for a in answers if a.answer == "no"],
        "unasked_answers": [a for a in answers if a.answer == "not_asked"],
    }
