import math
import random

import pytest
from scipy.spatial.distance import jensenshannon

from gapo.diversity import CREATIVE_KEYS, creative_metrics
from gapo.metrics import distinct_n, js_divergence_from_uniform, nv_rate, self_bleu, unique_curve


def test_uniform_counts_have_zero_divergence():
    assert js_divergence_from_uniform({"a": 5, "b": 5, "c": 5}, ["a", "b", "c"]) == pytest.approx(0.0)


def test_one_hot_on_two_items_by_hand():
    # p = (1, 0), u = (1/2, 1/2), m = (3/4, 1/4)
    expected = 0.5 * math.log2(1 / 0.75) + 0.5 * (0.5 * math.log2(0.5 / 0.75) + 0.5 * math.log2(0.5 / 0.25))
    assert js_divergence_from_uniform({"a": 7}, ["a", "b"]) == pytest.approx(expected)


def test_matches_scipy_on_random_distributions():
    rng = random.Random(0)
    for _ in range(20):
        support = [f"i{k}" for k in range(rng.randint(2, 12))]
        counts = {s: rng.randint(0, 30) for s in support}
        counts[support[0]] += 1
        total = sum(counts.values())
        p = [counts[s] / total for s in support]
        u = [1 / len(support)] * len(support)
        assert js_divergence_from_uniform(counts, support) == pytest.approx(jensenshannon(p, u, base=2) ** 2)


def test_answers_outside_the_support_are_ignored_and_none_is_maximal():
    assert js_divergence_from_uniform({"a": 1, "b": 1, "zzz": 50}, ["a", "b"]) == pytest.approx(0.0)
    assert math.isnan(js_divergence_from_uniform({}, ["a", "b"]))  # no valid answer: no distribution
    with pytest.raises(ValueError, match="support is empty"):
        js_divergence_from_uniform({"a": 1}, [])


def test_unique_curve_counts_distinct_valid_answers():
    assert unique_curve(["a", "a", None, "b", "a", "c"]) == [1, 1, 1, 2, 2, 3]


def test_nv_rate_and_distinct_n():
    assert nv_rate(["a", None, None, "b"]) == 0.5
    assert distinct_n(["the cat sat", "the cat ran"], 2) == pytest.approx(3 / 4)


def test_self_bleu_against_sacrebleu_by_hand():
    import sacrebleu

    texts = ["the brave knight sang in the forest .", "the brave knight slept in the cave .", "a dragon hid ."]
    by_hand = sum(sacrebleu.sentence_bleu(t, [o for o in texts if o is not t]).score / 100 for t in texts) / len(texts)
    assert self_bleu(texts) == pytest.approx(by_hand)
    assert self_bleu(["the old king waited in the garden ."] * 3) == pytest.approx(1.0)
    assert self_bleu(["alpha beta gamma delta", "one two three four"]) < 0.05
    with pytest.raises(ValueError, match="two texts"):
        self_bleu(["alone"])


def test_creative_metrics_report_every_diversity_measure():
    rows = [
        {"id": "c", "temperature": 0.7, "sample": i, "completion": text}
        for i, text in enumerate(["the brave knight sang .", "the brave knight sang .", "a tiny robot danced ."])
    ]
    got = creative_metrics(rows)["0.7"]
    assert set(CREATIVE_KEYS) <= set(got)
    assert got["unique_share"] == pytest.approx(2 / 3)
    assert 0 < got["self_bleu_diversity"] < 1 and 0 < got["embedding_diversity"] < 1
    same = creative_metrics([{**r, "completion": "the brave knight sang ."} for r in rows])["0.7"]
    assert same["embedding_diversity"] == pytest.approx(0.0, abs=1e-5)
    assert same["self_bleu_diversity"] == pytest.approx(0.0)
