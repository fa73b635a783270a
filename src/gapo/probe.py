"""Held-out diversity during RL: JSD and NV of the policy on held-out lists at every checkpoint.

The final evaluation says where a run ends; the probe says how it got there (a real model learns
the answer format first, through the -1 for invalid answers, collapses on the way, and spreads
later). It samples the policy being trained, at each checkpoint the Trainer saves and at step 0,
and scores the samples exactly as the evaluation does (`sample_records`, `list_metrics`).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import TrainerCallback

from gapo.diversity import list_metrics
from gapo.sampling import TransformersSampler, sample_records

PROBE_COLUMNS = ("step", "jsd", "nv", "valid_answers", "no_valid_prompts", "samples")


@dataclass(frozen=True)
class ProbeSettings:
    samples: int = 0  # per held-out list; 0: no probe
    temperature: float = 0.7
    max_new_tokens: int = 12
    batch_size: int = 512


_COUNTS = ("step", "valid_answers", "no_valid_prompts", "samples")


def read_probe(path: str | Path) -> list[dict]:
    """The rows of a probe.csv: counts as integers, JSD and NV as floats (JSD None where no list
    had a valid answer)."""
    with open(path, newline="") as fh:
        return [
            {k: None if v == "" else int(float(v)) if k in _COUNTS else float(v) for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


class HeldOutProbe(TrainerCallback):
    """Appends one row per probed step to `path` (CSV), which lives beside the checkpoints, so that
    a resumed run keeps the rows of the steps it resumes from and drops any later ones."""

    def __init__(self, prompts: Sequence[dict], settings: ProbeSettings, path: Path, seed: int) -> None:
        self.prompts = list(prompts)
        self.settings = settings
        self.path = Path(path)
        self.seed = seed

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not state.is_world_process_zero:  # one process samples and writes
            return
        rows = [r for r in read_probe(self.path) if r["step"] <= state.global_step] if self.path.is_file() else []
        self._write(rows)
        if state.global_step == 0:
            self._probe(0, kwargs["model"], kwargs["processing_class"])

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.is_world_process_zero:
            self._probe(state.global_step, kwargs["model"], kwargs["processing_class"])

    def _probe(self, step: int, model: Any, tokenizer: Any) -> None:
        was_training = model.training
        model.eval()
        # The sampler seeds torch's generator. Forked, training's own stream (its rollouts) goes on as
        # if no probe had run: probing never changes what RL learns, and a run resumed from a
        # checkpoint (whose saved generator state predates the probe) goes on as the unbroken run.
        devices = [model.device] if model.device.type == "cuda" else []
        try:
            sampler = TransformersSampler(model, tokenizer, self.settings.batch_size)
            with torch.no_grad(), torch.random.fork_rng(devices=devices):
                records = sample_records(
                    sampler,
                    self.prompts,
                    self.settings.samples,
                    [self.settings.temperature],
                    self.settings.max_new_tokens,
                    # the same draws at every step: the curve moves with the policy, not the seed
                    self.seed,
                )
        finally:
            model.train(was_training)
        scores = list_metrics(records, self.prompts)[f"{self.settings.temperature:g}"]
        row = {
            "step": step,
            "jsd": scores["jsd"],
            "nv": scores["nv"],
            "valid_answers": scores["valid_answers"],
            "no_valid_prompts": scores["no_valid_prompts"],
            "samples": len(records),
        }
        self._write([*(r for r in read_probe(self.path) if r["step"] != step), row])

    def _write(self, rows: list[dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=PROBE_COLUMNS)
            writer.writeheader()
            writer.writerows(sorted(rows, key=lambda r: r["step"]))
        tmp.replace(self.path)


class TimeLimit(TrainerCallback):
    """Stops training after `minutes` of wall clock, at the end of a step; the adapter is saved as
    usual and the log history shows the last step reached."""

    def __init__(self, minutes: float) -> None:
        self.seconds = minutes * 60
        self.start = time.monotonic()

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.start = time.monotonic()

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if time.monotonic() - self.start > self.seconds:
            control.should_training_stop = True
            control.should_save = True
