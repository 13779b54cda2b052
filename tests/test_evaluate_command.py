"""manage.py evaluate: the contract of RULES.md §8, every worked example, exit 2 on refusal."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings

from .strategies import documents, malformed_documents
from .worked_examples import EXAMPLES, REPO, SHARED, SHIPPED, problems


def evaluate_command(document) -> dict:
    out = io.StringIO()
    call_command("evaluate", "-", stdin=io.StringIO(json.dumps(document)), stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("example", EXAMPLES, ids=[example["id"] for example in EXAMPLES])
def test_worked_example_passes_through_the_command(example):
    assert problems(evaluate_command(example["input"]), example["expected"]) == []


def test_the_judge_catches_a_wrong_answer():
    """The example checker itself must fail a wrong evaluation, or the examples prove nothing."""
    example = next(e for e in EXAMPLES if e["id"] == "E04")
    output = evaluate_command(example["input"])
    output["calcium"]["ctcae_grade"] = 2
    output["flags"].append({"code": "NEW_BONE_PAIN", "tier": "prompt_review"})
    assert len(problems(output, example["expected"])) == 2


def test_shipped_examples_match_the_shared_ones():
    if not SHARED.exists() and not os.environ.get("CI"):
        pytest.skip("shared/ is not beside this checkout")  # CI always has it, so there this fails instead
    assert json.loads(SHIPPED.read_text()) == json.loads(SHARED.read_text())


def test_reads_a_file(tmp_path):
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(EXAMPLES[2]["input"]))
    out = io.StringIO()
    call_command("evaluate", str(path), stdout=out)
    assert json.loads(out.getvalue())["visit_tier"] == "emergency"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "document: not valid JSON"),
        ('{"primary_cancer": "breast", "symptoms": {"leg_weakness": true}}', "symptoms.leg_weakness: unknown symptom"),
        (
            '{"primary_cancer": "breast", "labs": {"calcium": {"value": 250, "unit": "mg/dL"}}}',
            "labs.calcium.value: 250 mg/dL is not a plausible calcium",
        ),
        (
            '{"primary_cancer": "breast", "labs": {"calcium": {"value": 2.6, "unit": "mg/dL"}}}',
            "labs.calcium.value: 2.6 mg/dL is not a plausible calcium; did you mean 2.6 mmol/L?",
        ),
        (
            '{"primary_cancer": "breast", "labs": {"albumin": {"value": 30, "unit": "g"}}}',
            "labs.albumin.unit: unknown unit",
        ),
        ('{"primary_cancer": "breast", "colour": "red"}', "colour: unknown key"),
    ],
)
def test_refusals_exit_2_with_the_field(text, message):
    with pytest.raises(CommandError) as refused:
        call_command("evaluate", "-", stdin=io.StringIO(text), stdout=io.StringIO())
    assert refused.value.returncode == 2
    assert str(refused.value).startswith(message)


def test_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("evaluate", str(tmp_path / "absent.json"), stdout=io.StringIO())
    assert refused.value.returncode == 2


def run_manage(*args, stdin=""):
    # DEBUG on: with DEBUG off and SQLite, manage.py refuses to start (bonemets/boot.py).
    return subprocess.run(
        [sys.executable, "manage.py", "evaluate", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        env=os.environ | {"DEBUG": "1"},
    )


def test_as_a_process_prints_json_and_exits_0():
    result = run_manage("-", stdin=json.dumps(EXAMPLES[13]["input"]))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["flags"][0]["code"] == "MSCC_SUSPECTED"


def test_as_a_process_refuses_with_exit_2_and_one_line():
    result = run_manage("-", stdin='{"primary_cancer": "breast", "labs": {"calcium": {"value": 250, "unit": "mg/dL"}}}')
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "labs.calcium.value" in lines[0]


@settings(max_examples=50)
@given(document=documents)
def test_command_never_crashes_on_a_vocabulary_document(document):
    assert evaluate_command(document)["rules_version"]


@settings(max_examples=50)
@given(document=malformed_documents())
def test_command_rejects_rather_than_crashes_on_malformed_documents(document):
    try:
        evaluate_command(document)
    except CommandError as refused:
        assert refused.returncode == 2
