"""Sampling a real model on CPU: one prompt read once for all its samples, against plain generate.

    python benchmarks/real_sampling.py --base results/models/smollm2/base [--samples 100] [--threads 2]

The evaluation's sampler reads each prompt once and decodes each distinct prefix once (rows that
have drawn the same tokens share a cache row, ended rows drop out), each prefix drawing its rows' tokens at once;
plain `generate(num_return_sequences=n)` reads the prompt once per row and decodes every row. Both draw the same
number of samples of the held-out lists in natural English (SmolLM2's chat template adds its
system message, so a prompt is about 80 tokens and an answer 12). Prints samples per second of
both and the speed-up (target >= 5x).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch
import yaml

from gapo.data import eval_lists, world_from_config
from gapo.model import load_policy
from gapo.prompts import NATURAL
from gapo.sampling import SampleRequest, TransformersSampler, sampling_config

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="results/models/smollm2/base")
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--prompts", type=int, default=4)
    ap.add_argument("--max-new-tokens", type=int, default=12)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    model, tok = load_policy(args.base)
    world = world_from_config(0, config["world"])
    prompts = eval_lists(world, world.heldout_topics, 1, 8, "heldout", NATURAL)[: args.prompts]
    n, tokens = args.samples * len(prompts), args.max_new_tokens
    requests = [SampleRequest(p["prompt"], args.samples, 0.7, tokens, seed=0) for p in prompts]
    start = time.perf_counter()
    TransformersSampler(model, tok, 512).sample(requests)
    shared = time.perf_counter() - start
    start = time.perf_counter()
    with torch.no_grad():
        for p in prompts:
            enc = tok.apply_chat_template(
                p["prompt"], add_generation_prompt=True, return_tensors="pt", return_dict=True
            )
            settings = sampling_config(0.7, tokens, tok.pad_token_id)
            model.generate(**enc, generation_config=settings, num_return_sequences=args.samples)
    plain = time.perf_counter() - start
    length = enc["input_ids"].shape[1]
    print(f"{len(prompts)} prompts of about {length} tokens, {args.samples} samples each, {tokens} new tokens, "
          f"{args.threads} threads")  # fmt: skip
    print(f"prompt read once:           {shared:7.2f} s ({n / shared:6.1f} samples/s)")
    print(f"generate, num_return_sequences: {plain:7.2f} s ({n / plain:6.1f} samples/s)")
    print(f"speed-up: {plain / shared:.1f}x  (target >= 5x)")


if __name__ == "__main__":
    main()
