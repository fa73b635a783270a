"""The temperature baseline: is GAPO more than a hotter base model?

The base model sampled at a sweep of temperatures (0.5-1.3) against GAPO at the headline
temperature: held-out JSD and NV from the same list metrics as the main evaluation, and accuracy of
the generative tasks sampled purely at that temperature (lm-eval), since raising the
temperature buys diversity with accuracy.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gapo.accuracy import AccuracyTask, evaluate_accuracy
from gapo.diversity import list_metrics
from gapo.sampling import Sampler, lm_eval_sampling, sample_records


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
        sampled = lm_eval_sampling(t)
        scores = evaluate_accuracy(base, adapter, tasks, work_dir / f"T{t:g}", gen_kwargs=sampled, seed=seed, **options)
        out[f"{t:g}"] = {name: s["value"] for name, s in scores.items()}
    return out
