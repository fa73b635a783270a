"""Diversity evaluation of sampled completions, per task kind, grouped by temperature."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from statistics import mean

from gapo.metrics import (
    answer_distribution,
    distinct_n,
    js_divergence_from_uniform,
    jsd_or_none,
    nv_rate,
    self_bleu,
    unique_curve,
)


def _by_temperature_and_prompt(samples: Sequence[dict]) -> dict[float, dict[str, list[dict]]]:
    grouped: dict[float, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for s in samples:
        grouped[float(s["temperature"])][s["id"]].append(s)
    for by_prompt in grouped.values():
        for rows in by_prompt.values():
            rows.sort(key=lambda r: r["sample"])
    return grouped


def list_metrics(samples: Sequence[dict], prompts: Sequence[dict]) -> dict:
    """Mean JSD from uniform and NV rate over list prompts, with each prompt's answer distribution.

    A prompt with no valid answer has no answer distribution: its JSD is None and it is left out
    of the mean JSD (None when no prompt has one), and counted in `no_valid_prompts` beside the NV
    rate, which counts all its answers. `valid_answers` is the number of answers behind the JSD.
    """
    valid = {p["id"]: p["valid"] for p in prompts}
    topic = {p["id"]: p["topic"] for p in prompts}
    result = {}
    for temperature, by_prompt in sorted(_by_temperature_and_prompt(samples).items()):
        per_prompt = {}
        for pid, rows in sorted(by_prompt.items()):
            answers = [r["answer"] for r in rows]
            counts = Counter(a for a in answers if a is not None)
            per_prompt[pid] = {
                "topic": topic[pid],
                "jsd": jsd_or_none(js_divergence_from_uniform(counts, valid[pid])),
                "nv": nv_rate(answers),
                "n": len(answers),
                "valid_answers": sum(counts.values()),
                "distribution": answer_distribution(answers, valid[pid]),
            }
        answered = [p["jsd"] for p in per_prompt.values() if p["jsd"] is not None]
        result[f"{temperature:g}"] = {
            "jsd": mean(answered) if answered else None,
            "nv": mean(p["nv"] for p in per_prompt.values()),
            "no_valid_prompts": len(per_prompt) - len(answered),
            "valid_answers": sum(p["valid_answers"] for p in per_prompt.values()),
            "prompts": per_prompt,
        }
    return result


def open_metrics(samples: Sequence[dict]) -> dict:
    """Unique valid answers after N samples (Unique@N), per topic and on average, with the curves."""
    result = {}
    for temperature, by_prompt in sorted(_by_temperature_and_prompt(samples).items()):
        per_prompt = {}
        for pid, rows in sorted(by_prompt.items()):
            answers = [r["answer"] for r in rows]
            curve = unique_curve(answers)
            per_prompt[pid] = {"unique": curve[-1], "n": len(answers), "nv": nv_rate(answers), "curve": curve}
        result[f"{temperature:g}"] = {
            "unique": mean(p["unique"] for p in per_prompt.values()),
            "nv": mean(p["nv"] for p in per_prompt.values()),
            "n": min(p["n"] for p in per_prompt.values()),
            "prompts": per_prompt,
        }
    return result


def embedding_diversity(texts: Sequence[str], embedder: str | None = None) -> float:
    """Mean pairwise cosine distance of the texts under a sentence embedder (all-MiniLM-L6-v2 from
    the offline wheel by default)."""
    from gapo.rewards.embedding import load_embedder, mean_cosine_distance

    embeddings = load_embedder(embedder, "cpu").encode(list(texts), convert_to_tensor=True)
    return mean(mean_cosine_distance(embeddings.cpu()))


CREATIVE_KEYS = ("distinct_1", "distinct_2", "unique_share", "self_bleu_diversity", "embedding_diversity")


def creative_metrics(samples: Sequence[dict], embedder: str | None = None) -> dict:
    """Diversity of free-form completions: distinct-1/2, the unique share, 1 - Self-BLEU and the
    mean pairwise embedding distance."""
    result = {}
    for temperature, by_prompt in sorted(_by_temperature_and_prompt(samples).items()):
        per_prompt = {}
        for pid, rows in sorted(by_prompt.items()):
            texts = [r["completion"] for r in rows]
            per_prompt[pid] = {
                "distinct_1": distinct_n(texts, 1),
                "distinct_2": distinct_n(texts, 2),
                "unique_share": len(set(texts)) / len(texts),
                "self_bleu_diversity": 1.0 - self_bleu(texts),
                "embedding_diversity": embedding_diversity(texts, embedder),
                "n": len(texts),
            }
        result[f"{temperature:g}"] = {key: mean(p[key] for p in per_prompt.values()) for key in CREATIVE_KEYS} | {
            "prompts": per_prompt
        }
    return result
