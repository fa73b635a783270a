"""Diversity metrics: divergence from uniform over a list, validity, unique answers."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence


def js_divergence_from_uniform(counts: Mapping[Hashable, float], support: Iterable[Hashable]) -> float:
    """Jensen-Shannon divergence (base 2, in [0, 1]) between the empirical distribution of valid
    answers over `support` and the uniform distribution over `support`.

    Counts of answers outside `support` are ignored (NV is reported on its own). With no valid
    answer at all there is no distribution and the divergence is undefined (NaN): taking it as 1.0
    would rank a prompt the model never answers in format above a fully collapsed one (0.72 on 8
    items), and let a real model's invalid answers decide a mean JSD.
    """
    items = list(dict.fromkeys(support))
    if not items:
        raise ValueError("support is empty")
    total = sum(max(0.0, float(counts.get(i, 0))) for i in items)
    if total == 0:
        return math.nan
    u = 1.0 / len(items)
    jsd = 0.0
    for i in items:
        p = max(0.0, float(counts.get(i, 0))) / total
        m = (p + u) / 2
        if p > 0:
            jsd += 0.5 * p * math.log2(p / m)
        jsd += 0.5 * u * math.log2(u / m)
    return min(1.0, max(0.0, jsd))


def jsd_or_none(value: float) -> float | None:
    """A divergence as its JSON value: None (null) where it is undefined, for want of a valid answer."""
    return None if math.isnan(value) else value


def unique_curve(answers: Sequence[Hashable | None]) -> list[int]:
    """Cumulative number of distinct answers after each sample (None, an invalid answer, is not counted)."""
    seen: set[Hashable] = set()
    curve = []
    for a in answers:
        if a is not None:
            seen.add(a)
        curve.append(len(seen))
    return curve


def nv_rate(answers: Sequence[Hashable | None]) -> float:
    """Share of answers that are not valid (None)."""
    return sum(a is None for a in answers) / len(answers) if answers else float("nan")


def answer_distribution(answers: Sequence[Hashable | None], support: Iterable[Hashable]) -> dict[str, float]:
    """Share of each support item among all answers, plus "NV" for the invalid ones."""
    counts = Counter(answers)
    n = len(answers)
    dist = {str(i): counts.get(i, 0) / n for i in support}
    dist["NV"] = counts.get(None, 0) / n
    return dist


def distinct_n(texts: Sequence[str], n: int) -> float:
    """Distinct n-grams over all n-grams of a set of texts (a standard lexical diversity measure)."""
    grams: list[tuple[str, ...]] = []
    for t in texts:
        words = t.split()
        grams.extend(tuple(words[k : k + n]) for k in range(len(words) - n + 1))
    return len(set(grams)) / len(grams) if grams else 0.0


def self_bleu(texts: Sequence[str]) -> float:
    """Self-BLEU in [0, 1]: the mean sentence BLEU (sacrebleu, exponential smoothing) of each text
    against all the others as references; 1 - Self-BLEU is the paper's lexical diversity."""
    import sacrebleu

    if len(texts) < 2:
        raise ValueError("Self-BLEU needs at least two texts")
    scores = [
        sacrebleu.sentence_bleu(t, [o for j, o in enumerate(texts) if j != i]).score / 100 for i, t in enumerate(texts)
    ]
    return sum(scores) / len(scores)
