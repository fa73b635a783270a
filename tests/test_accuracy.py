"""Accuracy through lm-eval: code-executing tasks only run with the explicit opt-in."""

import pytest

from gapo.accuracy import AccuracyTask, evaluate_accuracy, lm_eval_docs
from gapo.data import arithmetic_eval
from gapo.io import write_jsonl


@pytest.fixture
def unsafe_task(tmp_path):
    docs = tmp_path / "docs.jsonl"
    write_jsonl(docs, lm_eval_docs(arithmetic_eval(0, 4, 9)))
    # a local task marked as executing generated code, as lm-eval marks HumanEval
    return AccuracyTask("gapo_unsafe", "exact_match,strict", data=str(docs), kind="generate", unsafe_code=True)


def test_code_executing_tasks_are_skipped_without_the_opt_in(tiny_model_dir, tmp_path, unsafe_task, caplog):
    docs = tmp_path / "safe.jsonl"
    write_jsonl(docs, lm_eval_docs(arithmetic_eval(1, 3, 9)))
    safe = AccuracyTask("gapo_safe", "exact_match,strict", data=str(docs), kind="generate")
    scores = evaluate_accuracy(str(tiny_model_dir), None, [unsafe_task, safe], tmp_path / "work", batch_size=4)
    assert set(scores) == {"gapo_safe"}  # the rest still scored, no crash
    assert "['gapo_unsafe'] skipped: they run model-generated code" in caplog.text
    assert "allow_code_execution: true" in caplog.text


def test_code_executing_tasks_run_with_the_opt_in(tiny_model_dir, tmp_path, unsafe_task):
    scores = evaluate_accuracy(
        str(tiny_model_dir), None, [unsafe_task], tmp_path / "work", batch_size=4, allow_code_execution=True
    )
    assert scores["gapo_unsafe"]["n"] == 4


def test_each_task_scores_its_own_limit(tiny_model_dir, tmp_path):
    docs = tmp_path / "docs.jsonl"
    write_jsonl(docs, lm_eval_docs(arithmetic_eval(0, 6, 9)))
    tasks = [
        AccuracyTask("gapo_a", "exact_match,strict", data=str(docs), kind="generate", limit=2),
        AccuracyTask("gapo_b", "exact_match,strict", data=str(docs), kind="generate", limit=5),
        AccuracyTask("gapo_c", "exact_match,strict", data=str(docs), kind="generate"),
    ]
    scores = evaluate_accuracy(str(tiny_model_dir), None, tasks, tmp_path / "work", batch_size=4, limit=3)
    assert [scores[t]["n"] for t in ("gapo_a", "gapo_b", "gapo_c")] == [2, 5, 3]
