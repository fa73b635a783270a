"""RL fine-tuning of a LoRA adapter with GAPOTrainer: GAPO (group reward) or the GRPO ablation."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from accelerate import PartialState
from datasets import Dataset
from peft import LoraConfig
from transformers import TrainerCallback
from transformers.trainer_utils import get_last_checkpoint
from trl import GRPOConfig

from gapo.model import load_policy
from gapo.probe import HeldOutProbe, ProbeSettings, TimeLimit
from gapo.rewards import build_reward
from gapo.trainer import GAPOTrainer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RewardSpec:
    name: str
    weight: float = 1.0
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_config(cls, entry: dict[str, Any]) -> RewardSpec:
        """One entry of a method's `rewards` in the config: name, and optional weight and options."""
        return cls(entry["name"], entry.get("weight", 1.0), entry.get("options", {}))


@dataclass(frozen=True)
class RLSettings:
    steps: int = 200
    prompts_per_step: int = 16
    num_generations: int = 8
    learning_rate: float = 2e-4
    beta: float = 0.0
    epsilon: float = 0.2
    temperature: float = 1.0
    max_completion_length: int = 4
    loss_type: str = "grpo"
    scale_rewards: str = "group"
    num_iterations: int = 1  # optimiser steps per batch of rollouts (GRPO's mu)
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.0
    lora_target_modules: str | list[str] = "all-linear"
    save_steps: int = 50
    time_limit_minutes: float | None = None  # stop at this wall clock (a lease's budget); None: run all steps
    share_prompts: bool = False  # the loss runs each distinct prompt of a batch once, not once per completion
    seed: int = 0
    dtype: str = "float32"
    use_cpu: bool = True


def prompts_per_process(prompts_per_step: int, num_processes: int) -> int:
    """Each process's share of an optimiser step's prompts: `prompts_per_step` is per optimiser
    step, whatever the number of processes, so that the learning rate means the same on 1 GPU or 4."""
    if prompts_per_step % num_processes:
        raise ValueError(
            f"rl prompts_per_step = {prompts_per_step} cannot be split evenly over {num_processes} training "
            f"processes; fix: make prompts_per_step a multiple of {num_processes}, or train on fewer processes"
        )
    return prompts_per_step // num_processes


def grpo_config(
    settings: RLSettings, output_dir: Path, rewards: Sequence[RewardSpec], num_processes: int = 1
) -> GRPOConfig:
    """TRL settings for one run on `num_processes` processes; every default TRL changed in 2025 is
    set explicitly."""
    return GRPOConfig(
        output_dir=str(output_dir),
        max_steps=settings.steps,
        per_device_train_batch_size=prompts_per_process(settings.prompts_per_step, num_processes)
        * settings.num_generations,
        num_generations=settings.num_generations,
        learning_rate=settings.learning_rate,
        lr_scheduler_type="constant",
        beta=settings.beta,
        epsilon=settings.epsilon,
        temperature=settings.temperature,
        top_p=1.0,
        top_k=0,
        max_completion_length=settings.max_completion_length,
        loss_type=settings.loss_type,
        scale_rewards=settings.scale_rewards,
        reward_weights=[r.weight for r in rewards],
        num_iterations=settings.num_iterations,
        gradient_checkpointing=False,  # TRL's default; pure cost on a small model
        bf16=settings.dtype == "bfloat16",  # TRL defaults to bf16, slow on CPUs without bf16 units
        use_cpu=settings.use_cpu,
        logging_steps=max(1, settings.steps // 25),
        save_strategy="steps",
        save_steps=settings.save_steps,
        save_total_limit=1,
        report_to="none",
        seed=settings.seed,
        data_seed=settings.seed,
        dataloader_num_workers=0,
        disable_tqdm=os.environ.get("GAPO_PROGRESS", "1") != "1",
    )


def train_adapter(
    base: str,
    prompts: Sequence[dict],
    rewards: Sequence[RewardSpec],
    settings: RLSettings,
    adapter_dir: Path,
    checkpoint_dir: Path,
    callbacks: Sequence[TrainerCallback] = (),
    probe: tuple[Sequence[dict], ProbeSettings] | None = None,
) -> list[dict]:
    """Train a LoRA adapter on `prompts` and save it to `adapter_dir`; returns TRL's log history.

    `probe` (held-out list prompts and how to sample them) adds `probe.csv` to `adapter_dir`: the
    policy's held-out JSD and NV at step 0 and at every checkpoint (gapo.probe).

    Saves a checkpoint every `settings.save_steps` steps in `checkpoint_dir` and resumes from the
    last one there when it belongs to the same run, so that a killed run loses at most `save_steps`
    steps. Checkpoints of a different run (other settings, rewards, base or prompts) are discarded,
    and a finished run removes its checkpoints, so that a later run starts afresh.
    """
    state = PartialState(cpu=settings.use_cpu)  # one process, or one of train_distributed's
    args = grpo_config(settings, checkpoint_dir, rewards, state.num_processes)  # refuses an uneven split first
    with state.main_process_first():
        if state.is_main_process:
            _claim_checkpoints(checkpoint_dir, run_fingerprint(base, prompts, rewards, settings, state.num_processes))
    device = "cpu" if settings.use_cpu else f"cuda:{state.local_process_index}"
    model, tokenizer = load_policy(base, dtype=settings.dtype, device=device)
    model.train()
    columns = sorted({k for p in prompts for k in p} - {"id"})
    dataset = Dataset.from_list([{k: p[k] for k in columns} for p in prompts])
    lora = LoraConfig(
        r=settings.lora_r,
        lora_alpha=settings.lora_alpha,
        lora_dropout=settings.lora_dropout,
        target_modules=settings.lora_target_modules,
        task_type="CAUSAL_LM",
    )
    trainer = GAPOTrainer(
        model=model,
        reward_funcs=[build_reward(r.name, **r.options) for r in rewards],
        args=args,
        train_dataset=dataset,
        processing_class=tokenizer,
        peft_config=lora,
        callbacks=list(callbacks),
        share_prompts=settings.share_prompts,
    )
    probe_path = checkpoint_dir / "probe.csv"
    if probe is not None and probe[1].samples > 0:
        trainer.add_callback(HeldOutProbe(probe[0], probe[1], probe_path, settings.seed))
    if settings.time_limit_minutes is not None:
        trainer.add_callback(TimeLimit(settings.time_limit_minutes))
    last = get_last_checkpoint(str(checkpoint_dir)) if checkpoint_dir.is_dir() else None
    if last:
        log.info("resuming from %s", last)
    trainer.train(resume_from_checkpoint=last)
    trainer.save_model(str(adapter_dir))  # on the main process only
    state.wait_for_everyone()
    if state.is_main_process:
        tokenizer.save_pretrained(str(adapter_dir))
        if probe_path.is_file():
            shutil.copy(probe_path, adapter_dir / "probe.csv")
        shutil.rmtree(checkpoint_dir, ignore_errors=True)
    return trainer.state.log_history


def train_distributed(
    accelerate_config: str | Path,
    base: str,
    prompts: Sequence[dict],
    rewards: Sequence[RewardSpec],
    settings: RLSettings,
    adapter_dir: Path,
    checkpoint_dir: Path,
    probe: tuple[Sequence[dict], ProbeSettings] | None = None,
) -> list[dict]:
    """`train_adapter` on several processes (GPUs, or CPU processes over gloo) by `accelerate launch`.

    `accelerate_config` is an accelerate config file (config/accelerate/); each process trains on its
    slice of every batch, and GAPOTrainer gathers whole groups before scoring them.
    """
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "spec.json"
        history = Path(tmp) / "history.json"
        spec.write_text(
            json.dumps(
                {
                    "base": base,
                    "prompts": list(prompts),
                    "rewards": [dataclasses.asdict(r) for r in rewards],
                    "settings": dataclasses.asdict(settings),
                    "adapter_dir": str(adapter_dir),
                    "checkpoint_dir": str(checkpoint_dir),
                    "history": str(history),
                    "probe": None if probe is None else [list(probe[0]), dataclasses.asdict(probe[1])],
                }
            )
        )
        cmd = [
            sys.executable, "-m", "accelerate.commands.launch", "--config_file", str(accelerate_config),
            "-m", "gapo.train_job", str(spec),
        ]  # fmt: skip
        done = subprocess.run(cmd, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"distributed training failed (exit {done.returncode}): {' '.join(cmd)}")
        return json.loads(history.read_text())


def run_fingerprint(
    base: str, prompts: Sequence[dict], rewards: Sequence[RewardSpec], settings: RLSettings, num_processes: int = 1
) -> str:
    """A hash of everything a run's result depends on, the number of processes included (it splits
    every batch and so the random draws): checkpoints resume only the same run."""
    blob = json.dumps(
        {
            "base": str(Path(base).resolve()) if Path(base).exists() else base,
            # a base directory rebuilt in place (a retrained stand-in) is another base
            "base_files": sorted((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in Path(base).glob("*"))
            if Path(base).is_dir()
            else [],
            "prompts": hashlib.sha256(json.dumps(list(prompts), sort_keys=True).encode()).hexdigest(),
            "rewards": [dataclasses.asdict(r) for r in rewards],
            "settings": dataclasses.asdict(settings),
            "num_processes": num_processes,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _claim_checkpoints(checkpoint_dir: Path, fingerprint: str) -> None:
    marker = checkpoint_dir / "run.sha256"
    if checkpoint_dir.is_dir() and (not marker.is_file() or marker.read_text().strip() != fingerprint):
        log.warning("discarding checkpoints of a different run in %s", checkpoint_dir)
        shutil.rmtree(checkpoint_dir)
    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(fingerprint + "\n")
    # A run killed while saving leaves a checkpoint without its trainer state, which the Trainer
    # writes last: resuming from it would fail, so it goes and the one before it is resumed.
    for checkpoint in checkpoint_dir.glob("checkpoint-*"):
        if not _is_complete(checkpoint):
            log.warning("removing %s, which was not saved to the end", checkpoint)
            shutil.rmtree(checkpoint)


def _is_complete(checkpoint: Path) -> bool:
    try:
        json.loads((checkpoint / "trainer_state.json").read_text())
    except (OSError, ValueError):
        return False
    return True


# TRL's logged metrics that make a run's training curves (kl only when beta > 0).
CURVE_COLUMNS = (
    "reward",
    "reward_std",
    "frac_reward_zero_std",
    "groups/valid_fraction",
    "groups/distinct_answers",
    "kl",
    "entropy",
    "loss",
)


def training_curves(log_history: Sequence[dict]) -> pd.DataFrame:
    """One row per logging step: reward mean and std (overall and per reward), valid share,
    distinct answers per group, KL when logged, entropy and loss."""
    rows = [h for h in log_history if "reward" in h and "step" in h]
    if not rows:
        raise ValueError("the log history holds no training step with rewards")
    df = pd.DataFrame(rows)
    per_reward = sorted(c for c in df.columns if c.startswith("rewards/"))
    columns = ["step", *(c for c in CURVE_COLUMNS if c in df.columns), *per_reward]
    return df[columns].drop_duplicates("step", keep="last").reset_index(drop=True)


def settings_from_config(
    common: dict, override: dict, seed: int, dtype: str = "float32", use_cpu: bool = True
) -> RLSettings:
    """RLSettings from the config's `rl.common`, overridden by one method's `settings`."""
    merged = {**common, **override}
    lora = {**common.get("lora", {}), **override.get("lora", {})}
    merged.pop("lora", None)
    lora_keys = {
        "r": "lora_r",
        "alpha": "lora_alpha",
        "dropout": "lora_dropout",
        "target_modules": "lora_target_modules",
    }
    return RLSettings(**merged, **{lora_keys[k]: v for k, v in lora.items()}, seed=seed, dtype=dtype, use_cpu=use_cpu)
