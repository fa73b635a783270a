"""Batched sampling against one sample at a time, on the same prompts and counts.

    python benchmarks/batched_sampling.py --base results/models/standin/base [--samples 100]

The evaluation draws all `n` samples of a prompt in one generate call (rows of one batch); the
naive way calls generate once per sample. Prints both wall times and the speed-up (target >= 20x).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch
import yaml

from gapo.data import eval_lists, world_from_config
from gapo.model import load_policy
from gapo.sampling import sample_texts

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="results/models/standin/base")
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--prompts", type=int, default=4)
    args = ap.parse_args()
    torch.set_num_threads(1)
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    model, tok = load_policy(args.base)
    world = world_from_config(0, config["world"])
    prompts = eval_lists(world, world.heldout_topics, 1, config["evaluation"]["list_items"], "heldout")[: args.prompts]
    start = time.perf_counter()
    for p in prompts:
        sample_texts(model, tok, p["prompt"], args.samples, 0.7, 4, seed=0)
    batched = time.perf_counter() - start
    start = time.perf_counter()
    for p in prompts:
        for i in range(args.samples):
            sample_texts(model, tok, p["prompt"], 1, 0.7, 4, seed=i)
    single = time.perf_counter() - start
    n = args.samples * len(prompts)
    print(f"batched:  {batched:6.2f} s for {n} samples ({n / batched:8.0f} samples/s)")
    print(f"one by one: {single:6.2f} s for {n} samples ({n / single:8.0f} samples/s)")
    print(f"speed-up: {single / batched:.1f}x  (target >= 20x)")


if __name__ == "__main__":
    main()
