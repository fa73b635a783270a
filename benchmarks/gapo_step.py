"""A GAPO step against a GRPO step on the same prompts: the group reward must cost next to nothing.

    python benchmarks/gapo_step.py --base results/models/standin/base/seed0 [--steps 40]
    python benchmarks/gapo_step.py --config config/smollm2.yaml config/smollm2_cpu.yaml \
        --base results/models/smollm2/base --threads 2 --steps 6 --warmup 2     # SmolLM2 on 2 cores

Trains a config's RL settings (the default's, or `--config` files merged over it as snakemake
merges them) twice from the same base, seed and prompt order, on its first model's prompt style:
with the config's GAPO rewards (the frequency-aware group reward) and with its GRPO rewards (the
per-sample validity reward),
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
from snakemake.utils import update_config
from transformers import TrainerCallback

from gapo.config import drop_removed_models
from gapo.data import rl_prompts, world_from_config
from gapo.prompts import model_prompt_style, prompt_style
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


def study_config(files: list[Path]) -> dict:
    """config/config.yaml with `files` merged over it key by key, as `--configfile` does."""
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    for path in files:
        update_config(config, yaml.safe_load(path.read_text()))
    drop_removed_models(config)
    return config


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="results/models/standin/base/seed0")
    ap.add_argument("--config", nargs="*", type=Path, default=[], help="config files merged over the default")
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    config = study_config(args.config)
    common = {**config["rl"]["common"], "steps": args.steps, "save_steps": 10**6}
    settings = settings_from_config(common, {}, seed=0)
    lo, hi = config["world"]["list_items"]
    style = prompt_style(model_prompt_style(next(iter(config["models"].values()))))  # the first model's
    prompts = rl_prompts(world_from_config(0, config["world"]), config["rl"]["prompts"], lo, hi, style)
    methods = {
        name: [RewardSpec.from_config(r) for r in config["rl"]["methods"][name]["rewards"]] for name in ("grpo", "gapo")
    }
    reward_seconds = timed_method("_calculate_rewards")  # both runs go through it
    # A step's phases: rollouts (generation, rewards, advantages), the loss's forward pass, the rest
    # (backward and optimiser update)
    phases = {"rollout": timed_method("_generate_and_score_completions"), "loss forward": timed_method("compute_loss")}
    results = {}
    for name, rewards in methods.items():
        timer = StepTimer()
        reward_seconds.clear()
        for seconds in phases.values():
            seconds.clear()
        with tempfile.TemporaryDirectory() as tmp:
            train_adapter(args.base, prompts, rewards, settings, Path(tmp) / "a", Path(tmp) / "c", callbacks=[timer])
        steps = timer.seconds[args.warmup :]
        results[name] = (statistics.median(steps), statistics.median(reward_seconds[args.warmup :]))
        print(f"{name}: median step {results[name][0] * 1000:7.1f} ms, reward {results[name][1] * 1000:6.2f} ms "
              f"({len(steps)} steps, {settings.prompts_per_step} prompts x G={settings.num_generations}, "
              f"{settings.max_completion_length} new tokens, {args.threads} threads)")  # fmt: skip
        split = {k: statistics.median(v[args.warmup :]) for k, v in phases.items()}
        split["backward and update"] = results[name][0] - sum(split.values())
        print("  phases: " + ", ".join(f"{k} {v * 1000:.0f} ms ({v / results[name][0]:.0%})" for k, v in split.items()))
    ratio = results["gapo"][0] / results["grpo"][0]
    print(f"GAPO / GRPO step time: {ratio:.3f}  (target <= 1.05)")
    print(f"group reward share of a GAPO step: {results['gapo'][1] / results['gapo'][0]:.2%}")


if __name__ == "__main__":
    main()
