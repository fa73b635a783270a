"""A GAPO step against a GRPO step on the same prompts: the group reward must cost next to nothing.

    python benchmarks/gapo_step.py --base results/models/standin/base/seed0 [--steps 40]

Trains the default config's RL settings twice from the same base, seed and prompt order: with the
frequency-aware group reward (GAPO) and with the per-sample validity reward (the GRPO ablation),
timing every optimizer step (generation, reward, loss, update) after a warm-up, and the reward
calls alone. Prints the median step times and their ratio (target: GAPO <= 1.05x GRPO), and where a
step spends its time: rollouts (generation, rewards, advantages), the loss's forward pass, and the
backward pass with the optimiser update.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch
import yaml
from transformers import TrainerCallback

from gapo.data import rl_prompts, world_from_config
from gapo.trainer import GAPOTrainer
from gapo.training import RewardSpec, settings_from_config, train_adapter

ROOT = Path(__file__).resolve().parents[1]


class StepTimer(TrainerCallback):
    def __init__(self) -> None:
        self.seconds: list[float] = []

    def on_step_begin(self, args, state, control, **kwargs):
        self.start = time.perf_counter()

    def on_step_end(self, args, state, control, **kwargs):
        self.seconds.append(time.perf_counter() - self.start)


def timed_method(name: str) -> list[float]:
    """Wrap one GAPOTrainer method to record the seconds of each call."""
    seconds: list[float] = []
    original = getattr(GAPOTrainer, name)

    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        out = original(self, *args, **kwargs)
        seconds.append(time.perf_counter() - start)
        return out

    setattr(GAPOTrainer, name, timed)
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="results/models/standin/base/seed0")
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--warmup", type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(1)
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    common = {**config["rl"]["common"], "steps": args.steps, "save_steps": 10**6}
    settings = settings_from_config(common, {}, seed=0)
    lo, hi = config["world"]["list_items"]
    prompts = rl_prompts(world_from_config(0, config["world"]), config["rl"]["prompts"], lo, hi)
    reward_seconds = timed_method("_calculate_rewards")  # both runs go through it
    # A step's phases: rollouts (generation, rewards, advantages), the loss's forward pass, the rest
    # (backward and optimiser update)
    phases = {"rollout": timed_method("_generate_and_score_completions"), "loss forward": timed_method("compute_loss")}
    results = {}
    for name, reward in (("grpo", RewardSpec("validity")), ("gapo", RewardSpec("frequency_aware"))):
        timer = StepTimer()
        reward_seconds.clear()
        for seconds in phases.values():
            seconds.clear()
        with tempfile.TemporaryDirectory() as tmp:
            train_adapter(args.base, prompts, [reward], settings, Path(tmp) / "a", Path(tmp) / "c", callbacks=[timer])
        steps = timer.seconds[args.warmup :]
        results[name] = (statistics.median(steps), statistics.median(reward_seconds[args.warmup :]))
        print(f"{name}: median step {results[name][0] * 1000:7.1f} ms, reward {results[name][1] * 1000:6.2f} ms "
              f"({len(steps)} steps, {settings.prompts_per_step} prompts x G={settings.num_generations})")  # fmt: skip
        split = {k: statistics.median(v[args.warmup :]) for k, v in phases.items()}
        split["backward and update"] = results[name][0] - sum(split.values())
        print("  phases: " + ", ".join(f"{k} {v * 1000:.0f} ms ({v / results[name][0]:.0%})" for k, v in split.items()))
    ratio = results["gapo"][0] / results["grpo"][0]
    print(f"GAPO / GRPO step time: {ratio:.3f}  (target <= 1.05)")
    print(f"group reward share of a GAPO step: {results['gapo'][1] / results['gapo'][0]:.2%}")


if __name__ == "__main__":
    main()
