"""Probe one RL design on a pretrained stand-in: train an adapter, print held-out/training JSD and NV.

    python experiments/rl_probe.py --base results/models/standin/base/seed0 --out /tmp/probe \
        --reward frequency_aware --steps 200 --num-generations 32 --prompts-per-step 4

The numbers it prints are the ones docs/stand-in.md logs for each design.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import torch
from transformers import TrainerCallback
from worlds import probe_world  # experiments/worlds.py

from gapo.corpus import topic_item_count
from gapo.data import World, eval_lists, list_record, open_eval, rl_prompts
from gapo.diversity import list_metrics, open_metrics
from gapo.model import load_policy
from gapo.prompts import STANDIN
from gapo.sampling import TransformersSampler, sample_records
from gapo.training import RewardSpec, RLSettings, train_adapter

OPEN = ("planet", "instrument", "gemstone", "bird", "tree", "language", "color", "fruit", "animal", "country")


def evaluate(base: str, adapter: str | None, seed: int, device: str = "cpu", topic_extra: int = 0) -> dict:
    sampler = TransformersSampler(*load_policy(base, adapter, device=device))
    world = probe_world(seed, topic_extra=topic_extra)
    out = {}
    for name, topics in (("heldout", world.heldout_topics), ("train", world.train_topics)):
        prompts = eval_lists(world, topics, 2, 8, name)
        res = list_metrics(sample_records(sampler, prompts, 100, [0.7, 1.0], 4, seed), prompts)
        out[name] = {t: {"jsd": round(r["jsd"], 3), "nv": round(r["nv"], 3)} for t, r in res.items()}
    prompts = open_eval(world, OPEN)
    res = open_metrics(sample_records(sampler, prompts, 500, [0.7], 4, seed))
    out["unique500"] = res["0.7"]["unique"]
    return out


class HeldoutCurve(TrainerCallback):
    """Every `every` steps: held-out JSD and NV at T=0.7 of the policy as it trains (the RNG state is
    restored afterwards, so the run trains exactly as without it)."""

    def __init__(self, world: World, seed: int, every: int) -> None:
        self.prompts, self.seed, self.every = eval_lists(world, world.heldout_topics, 2, 8, "heldout"), seed, every
        self.rows: list[dict] = []

    def on_step_end(self, args, state, control, model=None, processing_class=None, **kwargs):
        if state.global_step % self.every:
            return
        rng = torch.get_rng_state()
        model.eval()
        sampler = TransformersSampler(model, processing_class)
        res = list_metrics(sample_records(sampler, self.prompts, 100, [0.7], 4, self.seed), self.prompts)["0.7"]
        model.train()
        torch.set_rng_state(rng)
        self.rows.append({"step": state.global_step, "jsd": round(res["jsd"], 3), "nv": round(res["nv"], 3)})
        print(json.dumps({"curve": self.rows[-1]}), flush=True)


def mixed_rl_prompts(world: World, n_prompts: int, fraction: float) -> list[dict]:
    """RL lists of 4-10 items; `fraction` of them hold 1..n-1 items of the topic and other topics' items."""
    rng = random.Random(f"{world.seed}-rl-mixed")
    prompts = []
    for _ in range(n_prompts):
        topic, n = rng.choice(world.train_topics), rng.randint(4, 10)
        n_topic = topic_item_count(rng, n, fraction)
        prompts.append(
            list_record(world, rng, topic, n_topic, rng.choice(STANDIN.unreserved_list_templates), n - n_topic)
        )
    return prompts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--reward", default="frequency_aware")
    ap.add_argument("--form", default="signed")
    ap.add_argument("--invalid-reward", type=float, default=-1.0)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--num-generations", type=int, default=8)
    ap.add_argument("--prompts-per-step", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--temperature", type=float, default=1.0)
    ap.add_argument("--beta", type=float, default=0.0)
    ap.add_argument("--lora-r", type=int, default=16)
    ap.add_argument("--scale-rewards", default="group")
    ap.add_argument("--num-iterations", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--topic-extra", type=int, default=0, help="made-up items added to every topic (as pretrained)")
    ap.add_argument(
        "--mixed-fraction",
        type=float,
        default=0.0,
        help="RL lists mixed as in pretraining: few topic items, distractors",
    )
    ap.add_argument("--eval-every", type=int, default=0, help="print held-out JSD / NV every this many steps")
    ap.add_argument("--eval-base", action="store_true")
    ap.add_argument("--cuda", action="store_true", help="train and sample on the GPU")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    device = "cuda" if args.cuda else "cpu"
    if args.eval_base:
        print(json.dumps({"base": evaluate(args.base, None, args.seed, device, args.topic_extra)}))
        return
    world = probe_world(args.seed, topic_extra=args.topic_extra)
    options = {"form": args.form, "invalid_reward": args.invalid_reward} if args.reward == "frequency_aware" else {}
    settings = RLSettings(
        steps=args.steps,
        prompts_per_step=args.prompts_per_step,
        num_generations=args.num_generations,
        learning_rate=args.lr,
        temperature=args.temperature,
        beta=args.beta,
        lora_r=args.lora_r,
        lora_alpha=2 * args.lora_r,
        scale_rewards=args.scale_rewards,
        num_iterations=args.num_iterations,
        save_steps=10**6,
        seed=args.seed,
        use_cpu=not args.cuda,
    )
    start = time.time()
    out = Path(args.out)
    curve = [HeldoutCurve(world, args.seed, args.eval_every)] if args.eval_every else []
    train_adapter(
        args.base,
        mixed_rl_prompts(world, 4096, args.mixed_fraction) if args.mixed_fraction else rl_prompts(world, 4096, 4, 10),
        [RewardSpec(args.reward, 1.0, options)],
        settings,
        out / "adapter",
        out / "checkpoints",
        callbacks=curve,
    )
    train_s = round(time.time() - start)
    result = {
        "args": vars(args),
        "train_s": train_s,
        "curve": curve[0].rows if curve else [],
        **evaluate(args.base, str(out / "adapter"), args.seed, device, args.topic_extra),
    }
    print(json.dumps(result))
    (out / "result.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
