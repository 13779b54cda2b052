"""Issue 15 §4: overdue actions are worklist rows of their own, after the flags of the same tier, across pages."""

from dataclasses import dataclass

from checklists.rules.tiers import Tier
from checklists.worklist import place_actions

E, U, P, R = Tier.EMERGENCY, Tier.URGENT, Tier.PROMPT_REVIEW, Tier.ROUTINE


@dataclass(frozen=True)
class Action:
    name: str
    tier: Tier


MRI, CALCIUM, FBC = Action("MRI", E), Action("calcium", U), Action("FBC", P)


def named(placed):
    return {index: [action.name for action in actions] for index, actions in placed.items()}


def test_one_page_each_action_after_the_flags_of_its_tier():
    placed = place_actions([E, E, U, P, R], [MRI, CALCIUM, FBC], next_tier=None, first_page=True)
    assert named(placed) == {1: ["MRI"], 2: ["calcium"], 3: ["FBC"]}


def test_with_no_flag_of_its_tier_after_those_of_the_tiers_above():
    placed = place_actions([E, P], [CALCIUM], next_tier=None, first_page=True)
    assert named(placed) == {0: ["calcium"]}


def test_above_every_flag_on_the_first_page_when_no_flag_is_as_serious():
    assert named(place_actions([P, R], [MRI], next_tier=None, first_page=True)) == {-1: ["MRI"]}
    assert named(place_actions([], [MRI, FBC], next_tier=None, first_page=True)) == {-1: ["MRI", "FBC"]}


def test_across_pages_each_action_once_where_its_tier_ends():
    first = place_actions([E, E, U], [MRI, CALCIUM, FBC], next_tier=U, first_page=True)
    second = place_actions([U, P], [MRI, CALCIUM, FBC], next_tier=None, first_page=False)
    assert named(first) == {1: ["MRI"]}
    assert named(second) == {0: ["calcium"], 1: ["FBC"]}
