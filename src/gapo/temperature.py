"""The temperature baseline: is GAPO more than a hotter base model?

The base model sampled at a sweep of temperatures (0.5-1.3) against GAPO at the headline
temperature: held-out JSD and NV from the same list metrics as the main evaluation, and accuracy of
the generative tasks sampled at that temperature (lm-eval, `do_sample`), since raising the
temperature buys diversity with accuracy.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from gapo.accuracy import AccuracyTask, evaluate_accuracy
from gapo.diversity import list_metrics
from gapo.sampling import Sampler, sample_records
from gapo.tables import aggregate_seeds


def sweep_point(
    sampler: Sampler,
    prompts: Sequence[dict],
    temperatures: Sequence[float],
    n: int,
    max_new_tokens: int,
    seed: int,
) -> dict[str, dict[str, float]]:
    """Held-out JSD and NV of one policy at each temperature."""
    metrics = list_metrics(sample_records(sampler, prompts, n, temperatures, max_new_tokens, seed), prompts)
    return {t: {"jsd": m["jsd"], "nv": m["nv"]} for t, m in metrics.items()}


def sampled_accuracy(
    base: str,
    adapter: str | None,
    tasks: Sequence[AccuracyTask],
    temperatures: Sequence[float],
    work_dir: Path,
    seed: int = 0,
    **options: object,
) -> dict[str, dict[str, float]]:
    """Accuracy of generative tasks with answers sampled at each temperature (not greedy), seeded."""
    out = {}
    for t in temperatures:
        sampled = f"do_sample=True,temperature={t}"
        scores = evaluate_accuracy(base, adapter, tasks, work_dir / f"T{t:g}", gen_kwargs=sampled, seed=seed, **options)
        out[f"{t:g}"] = {name: s["value"] for name, s in scores.items()}
    return out


def temperature_frame(points: dict[tuple[str, str, int], dict]) -> pd.DataFrame:
    """One row per (model, method, seed, temperature): jsd, nv and acc_<task> columns."""
    rows = []
    for (model, method, seed), point in points.items():
        for t, values in point.items():
            rows.append(
                {
                    "model": model,
                    "method": method,
                    "seed": seed,
                    "temperature": float(t),
                    "jsd": values["jsd"],
                    "nv": values["nv"],
                    **{f"acc_{k}": v for k, v in values["accuracy"].items()},
                }
            )
    return pd.DataFrame(rows)


def temperature_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Per (model, method, temperature): each metric's mean over seeds and its 95% CI half-width."""
    return aggregate_seeds(frame, keys=("model", "method", "temperature"))
