"""Mutation testing of checklists/rules/ (issue 10): run mutmut, print the score, fail under the floor.

The score is killed / all mutants. mutmut's own output (a progress line per mutant) goes to mutants.log; the
survivors are listed by `mutmut results` and shown one by one with `mutmut show <name>`.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

FLOOR = 0.95
BIN = Path(sys.executable).parent
# How many mutants run at once (mutmut's default: one per core). CI runs this beside the PostgreSQL suite, on one.
CHILDREN = os.environ.get("MUTATION_CHILDREN", "")


def main() -> int:
    shutil.rmtree("mutants", ignore_errors=True)  # a fresh run: no result cached from older code
    with open("mutants.log", "w") as log:
        children = ["--max-children", CHILDREN] if CHILDREN else []
        subprocess.run([BIN / "mutmut", "run", *children], stdout=log, stderr=subprocess.STDOUT, check=False)
    subprocess.run([BIN / "mutmut", "export-cicd-stats"], capture_output=True, check=True)
    stats = json.loads(Path("mutants/mutmut-cicd-stats.json").read_text())
    score = stats["killed"] / stats["total"] if stats["total"] else 0.0
    print(
        f"mutation score of checklists/rules: {score:.1%} ({stats['killed']} of {stats['total']} mutants killed; "
        f"{stats['survived']} survived, {stats['no_tests']} without tests, {stats['timeout']} timed out)"
    )
    if score < FLOOR:
        print(f"below the floor of {FLOOR:.0%}: see `.venv/bin/mutmut results` and `mutmut show <name>`")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
