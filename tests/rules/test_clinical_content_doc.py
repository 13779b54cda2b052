"""docs/clinical-content.md stays in step with the engine it describes."""

from pathlib import Path

from checklists.rules import RULES_VERSION
from checklists.rules.flags import RULES
from checklists.rules.recommendations import ACTIONS
from checklists.rules.sources import SOURCES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "clinical-content.md").read_text()


def test_doc_names_the_current_rules_version():
    assert f"Rules version **{RULES_VERSION}**" in DOC


def test_doc_lists_every_flag_with_its_title_and_sources():
    for rule in RULES:
        row = next((line for line in DOC.splitlines() if line.startswith(f"| {rule.code} |")), None)
        assert row, rule.code
        assert rule.title in row
        assert all(source in row for source in rule.sources), rule.code


def test_doc_lists_every_action_and_source():
    for action in ACTIONS:
        row = next((line for line in DOC.splitlines() if line.startswith(f"| {action.code} |")), None)
        assert row, action.code
        assert action.text in row and action.due in row
    for source in SOURCES:
        assert f"| {source.key} |" in DOC
