"""Sample the held-out lists with each sampling backend on one GPU and compare what a user gets.

    python experiments/backend_check.py --results RESULTS [--policy base --policy gapo ...] [--vllm-python PY]

On CPU with vLLM's CPU build: --device cpu --vllm-options '{"gpu_memory_utilization": 0.1,
"engine_args": {"max_num_batched_tokens": 32768}}' (README, "Paper scale", says why).

For the base model and each method's seed-0 adapter of a finished default run, both backends sample
the same requests as the `sample` rule, in bfloat16 (vLLM serves adapters in 16-bit floats only).
Printed per backend: the held-out JSD and NV at each temperature and the wall time (vLLM's includes
starting its engine). The two backends draw different random numbers, so their metrics agree only
within sampling noise; an adapter that vLLM failed to serve would show the base model's JSD instead.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from gapo.diversity import list_metrics
from gapo.io import read_jsonl
from gapo.sampling import load_sampler, sample_records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, required=True, help="a finished default run's results folder")
    parser.add_argument("--model", default="standin")
    parser.add_argument("--policy", action="append", default=None, help="base or a method (default: base, gapo)")
    parser.add_argument("--backend", action="append", default=None, help="default: transformers and vllm")
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--dtype", default="bfloat16")
    parser.add_argument("--vllm-python", default=sys.executable)
    parser.add_argument(
        "--vllm-options",
        type=json.loads,
        default={},
        help="more of compute.vllm as JSON, e.g. '{\"gpu_memory_utilization\": 0.1}' for vLLM's CPU build",
    )
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--temperatures", type=float, nargs="+", default=[0.7, 1.0])
    parser.add_argument("--max-new-tokens", type=int, default=4)
    parser.add_argument("--seeds", type=int, default=1, help="sampling seeds 0..N-1: the spread of one backend")
    parser.add_argument("--out", type=Path, help="also write the rows here as JSON lines")
    args = parser.parse_args()

    models = args.results / "models" / args.model
    base = str(models / "base" / "seed0" if (models / "base" / "seed0").is_dir() else models / "base")  # a stand-in's
    prompts = read_jsonl(args.results / "data/standin/heldout_lists.jsonl")
    policies = {
        p: None if p == "base" else str(models / p / "seed0" / "adapter") for p in args.policy or ["base", "gapo"]
    }
    rows = []
    for name, adapter in policies.items():
        for backend in args.backend or ["transformers", "vllm"]:
            start = time.perf_counter()  # vLLM's sampler starts its engine in every `sample` call
            sampler = load_sampler(
                backend,
                base,
                adapter,
                dtype=args.dtype,
                device=args.device,
                seed=0,
                vllm_options={"python": args.vllm_python} | args.vllm_options,
            )
            for seed in range(args.seeds):
                records = sample_records(sampler, prompts, args.samples, args.temperatures, args.max_new_tokens, seed)
                seconds, start = time.perf_counter() - start, time.perf_counter()
                metrics = list_metrics(records, prompts)
                row = {"policy": name, "backend": backend, "dtype": args.dtype, "seed": seed, "samples": len(records)}
                row["seconds"] = round(seconds, 1)
                row |= {f"{k}@T{t}": round(m[k], 4) for t, m in metrics.items() for k in ("jsd", "nv")}
                print(json.dumps(row), flush=True)
                rows.append(row)
                if args.out:
                    args.out.write_text("".join(json.dumps(r) + "\n" for r in rows))
            if args.seeds > 1:
                print(json.dumps(spread(rows[-args.seeds :]), ensure_ascii=False), flush=True)


def spread(rows: list[dict]) -> dict:
    """Mean and standard deviation of each metric over rows that differ only in their seed."""
    metrics = [k for k in rows[0] if "@T" in k]
    summary = {k: rows[0][k] for k in ("policy", "backend", "dtype")} | {"seeds": len(rows)}
    return summary | {
        k: f"{statistics.mean(r[k] for r in rows):.4f} ± {statistics.stdev(r[k] for r in rows):.4f}" for k in metrics
    }


if __name__ == "__main__":
    main()
