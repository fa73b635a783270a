"""Re-read a finished run's stored completions with the current parser, without sampling again.

    python experiments/reparse_samples.py RESULTS_DIR

For every samples/<model>/<method>/seed<s>/<task>.jsonl of a list or open-ended task, each
record's answer is taken again from its completion (`gapo.parsing.extract_choice`) against the
valid answers of the run's data set of that task (data/<style>/<task>.jsonl; regenerate it first
when the lexicons changed), and the file is rewritten in place. It prints how many answers
changed. Then re-score and redraw with the DAG itself:

    snakemake --configfile ... --config results_dir=RESULTS_DIR --touch
    snakemake --configfile ... --config results_dir=RESULTS_DIR --forcerun diversity --rerun-triggers mtime

The bias analysis and the temperature sweep parse inside their sampling jobs and keep the
answers of the parser that ran them.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from gapo.io import read_jsonl, write_jsonl
from gapo.parsing import extract_choice

TASKS = ("heldout_lists", "train_lists", "open_ended")


def data_set(results: Path, task: str) -> dict[str, list[str]]:
    """The valid answers of each prompt of `task`, by prompt id, from the run's one data set of it."""
    found = sorted(results.glob(f"data/*/{task}.jsonl"))
    if len(found) != 1:
        raise SystemExit(f"{results}/data: expected one {task}.jsonl (one prompt style), found {len(found)}")
    return {p["id"]: p["valid"] for p in read_jsonl(found[0])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path)
    args = ap.parse_args()
    changed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for task in TASKS:
        valid = data_set(args.results, task)
        for path in sorted(args.results.glob(f"samples/*/*/seed*/{task}.jsonl")):
            records = read_jsonl(path)
            for r in records:
                answer = extract_choice(r["completion"], valid[r["id"]])
                changed[task] += answer != r["answer"]
                total[task] += 1
                r["answer"] = answer
            write_jsonl(path, records)
    for task in TASKS:
        print(f"{task}: {changed[task]} of {total[task]} answers changed")


if __name__ == "__main__":
    main()
