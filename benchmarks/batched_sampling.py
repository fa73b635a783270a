"""Batched sampling against one sample at a time, on the same prompts and counts.

    python benchmarks/batched_sampling.py --base results/models/standin/base/seed0 [--samples 100]

The evaluation's sampler reads each prompt once and draws its samples in batches of up to 512 rows
that share the prompt's key-value cache; the naive way calls generate once per sample. Both on the
held-out lists of the default config. Prints both wall times and the speed-up (target >= 20x).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch
import yaml

from gapo.data import eval_lists, world_from_config
from gapo.model import load_policy
from gapo.sampling import SampleRequest, TransformersSampler

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="results/models/standin/base/seed0")
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--prompts", type=int, default=12)
    args = ap.parse_args()
    torch.set_num_threads(1)
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    model, tok = load_policy(args.base)
    world = world_from_config(0, config["world"])
    n_items = config["evaluation"]["list_items"]
    prompts = eval_lists(world, world.heldout_topics, 2, n_items, "heldout")[: args.prompts]
    requests = [SampleRequest(p["prompt"], args.samples, 0.7, 4, seed=0) for p in prompts]
    start = time.perf_counter()
    TransformersSampler(model, tok, 512).sample(requests)
    batched = time.perf_counter() - start
    start = time.perf_counter()
    for p in prompts:
        enc = tok.apply_chat_template(p["prompt"], add_generation_prompt=True, return_tensors="pt", return_dict=True)
        settings = {"do_sample": True, "temperature": 0.7, "top_k": 0, "max_new_tokens": 4}
        for _ in range(args.samples):
            model.generate(**enc, **settings, pad_token_id=tok.pad_token_id)
    single = time.perf_counter() - start
    n = args.samples * len(prompts)
    print(f"batched:  {batched:6.2f} s for {n} samples ({n / batched:8.0f} samples/s)")
    print(f"one by one: {single:6.2f} s for {n} samples ({n / single:8.0f} samples/s)")
    print(f"speed-up: {single / batched:.1f}x  (target >= 20x)")


if __name__ == "__main__":
    main()
