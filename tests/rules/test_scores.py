"""Mirels and SINS totals, bands and their flags at every boundary (RULES.md §5, §6)."""

import itertools

import pytest

from checklists.rules import FindingsError, MirelsEntry, SinsEntry, Tier, evaluate
from checklists.rules.scores import MIRELS_POINTS, SINS_POINTS, mirels, sins

from .builders import findings


def test_every_mirels_combination_totals_4_to_12_with_its_band():
    for combination in itertools.product(*(MIRELS_POINTS[c] for c in ("site", "pain", "lesion", "size"))):
        entry = MirelsEntry(*combination)
        score = mirels(entry)
        expected = sum(
            MIRELS_POINTS[c][w] for c, w in zip(("site", "pain", "lesion", "size"), combination, strict=True)
        )
        assert score.total == expected
        assert 4 <= score.total <= 12
        assert score.band == ("high" if expected >= 9 else "borderline" if expected == 8 else "low")


@pytest.mark.parametrize(
    ("entry", "total", "band", "tier"),
    [
        (MirelsEntry("upper_limb", "mild", "blastic", "lt_1_3"), 4, "low", None),
        (MirelsEntry("lower_limb", "moderate", "mixed", "lt_1_3"), 7, "low", None),
        (MirelsEntry("lower_limb", "moderate", "mixed", "1_3_to_2_3"), 8, "borderline", Tier.PROMPT_REVIEW),
        (MirelsEntry("lower_limb", "moderate", "lytic", "1_3_to_2_3"), 9, "high", Tier.URGENT),
        (MirelsEntry("peritrochanteric", "functional", "lytic", "gt_2_3"), 12, "high", Tier.URGENT),
    ],
)
def test_mirels_bands_and_flag(entry, total, band, tier):
    evaluation = evaluate(findings(mirels=entry))
    assert (evaluation.mirels.total, evaluation.mirels.band) == (total, band)
    raised = {f.code: f.tier for f in evaluation.flags}.get("MIRELS_FRACTURE_RISK")
    assert raised == tier


def sins_entry(total):
    """Build a SINS entry with the given total (0–18) from the highest-scoring components first."""
    remaining = total
    chosen = {}
    for component, points in SINS_POINTS.items():
        word = next(w for w, p in sorted(points.items(), key=lambda item: -item[1]) if p <= remaining)
        chosen[component] = word
        remaining -= points[word]
    assert remaining == 0
    return SinsEntry(**chosen)


@pytest.mark.parametrize(
    ("total", "band", "tier"),
    [
        (0, "stable", None),
        (6, "stable", None),
        (7, "potentially_unstable", Tier.PROMPT_REVIEW),
        (12, "potentially_unstable", Tier.PROMPT_REVIEW),
        (13, "unstable", Tier.URGENT),
        (18, "unstable", Tier.URGENT),
    ],
)
def test_sins_bands_and_flag(total, band, tier):
    evaluation = evaluate(findings(sins=sins_entry(total)))
    assert (evaluation.sins.total, evaluation.sins.band) == (total, band)
    assert {f.code: f.tier for f in evaluation.flags}.get("SINS_INSTABILITY") == tier


def test_sins_example_totals_11():
    entry = SinsEntry("junctional", "mechanical", "lytic", "normal", "lt_50", "unilateral")
    assert sins(entry).total == 11


def test_unknown_score_words_are_refused():
    with pytest.raises(FindingsError) as refused:
        MirelsEntry("lower_limb", "severe", "lytic", "gt_2_3")
    assert refused.value.field == "pain"
    assert "expected mild, moderate, functional" in refused.value.message
    with pytest.raises(FindingsError):
        SinsEntry("junctional", "mechanical", "lytic", "normal", "lt_50", "both")


def test_unscored_means_null():
    evaluation = evaluate(findings())
    assert evaluation.mirels is None
    assert evaluation.sins is None
