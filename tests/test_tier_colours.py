"""Every tier's badge is readable: its word on its colour at WCAG 2.2 AA contrast, 4.5:1 or more (issue 15 §6
found urgent's white on #e8590c at 3.58:1, on every page)."""

import re
from pathlib import Path

import pytest

from checklists.rules.tiers import Tier

CSS = (Path(__file__).resolve().parent.parent / "static" / "css" / "app.css").read_text()


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def badge_colours(tier: Tier) -> tuple[str, str]:
    rule = re.search(rf"\.tier-{tier.value} \{{([^}}]*)\}}", CSS).group(1)
    background = re.search(r"background: #([0-9a-f]{3,6});", rule).group(1)
    colour = re.search(r"(?<!-)color: #([0-9a-f]{3,6});", rule).group(1)
    return full(background), full(colour)


def full(hex_colour: str) -> str:
    return "".join(digit * 2 for digit in hex_colour) if len(hex_colour) == 3 else hex_colour


def test_the_formula_matches_wcag():
    assert round(contrast("e8590c", "ffffff"), 2) == 3.58
    assert round(contrast("000000", "ffffff"), 1) == 21.0


@pytest.mark.parametrize("tier", list(Tier), ids=str)
def test_each_tier_badge_reads_at_aa_contrast(tier):
    background, colour = badge_colours(tier)
    assert contrast(background, colour) >= 4.5, (tier, background, colour)
