"""The worked examples of shared/clinical/examples.json; the judge lives in checklists.rules.judge."""

import json
from pathlib import Path

from checklists.rules.judge import problems

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "checklists" / "rules" / "examples.json"
SHARED = REPO.parent / "shared" / "clinical" / "examples.json"

EXAMPLES = json.loads(SHIPPED.read_text())

__all__ = ["EXAMPLES", "REPO", "SHARED", "SHIPPED", "problems"]
