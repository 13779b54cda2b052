"""The rules package stays pure: no Django, ORM, clock or I/O (DESIGN.md §2)."""

import ast
import subprocess
import sys
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parents[2] / "checklists" / "rules"
ALLOWED_MODULES = {
    "collections",
    "dataclasses",
    "decimal",
    "enum",
    "json",
    "difflib",
    "hashlib",
    "typing",
    "__future__",
    "_typeshed",  # only under TYPE_CHECKING: mypy's names for types, never imported when the app runs
}
FORBIDDEN_NAMES = {"open", "print", "input", "exec", "eval", "__import__"}


def test_importing_the_rules_loads_no_django_module():
    code = (
        "import sys, checklists.rules, checklists.rules.document; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=RULES_DIR.parents[1]
    )
    assert result.stdout.strip() == "[]"


def test_rules_import_only_pure_standard_modules():
    for path in RULES_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module.split(".")[0]]
            else:
                continue
            assert set(names) <= ALLOWED_MODULES, f"{path.name} imports {names}"


def test_rules_call_no_io_builtins():
    for path in RULES_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        called = {
            node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        assert not called & FORBIDDEN_NAMES, f"{path.name} calls {called & FORBIDDEN_NAMES}"
