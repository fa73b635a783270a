import math
import random

import pytest
from scipy.spatial.distance import jensenshannon

from gapo.metrics import distinct_n, js_divergence_from_uniform, nv_rate, unique_curve


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
    assert js_divergence_from_uniform({}, ["a", "b"]) == 1.0
    with pytest.raises(ValueError, match="support is empty"):
        js_divergence_from_uniform({"a": 1}, [])


def test_unique_curve_counts_distinct_valid_answers():
    assert unique_curve(["a", "a", None, "b", "a", "c"]) == [1, 1, 1, 2, 2, 3]


def test_nv_rate_and_distinct_n():
    assert nv_rate(["a", None, None, "b"]) == 0.5
    assert distinct_n(["the cat sat", "the cat ran"], 2) == pytest.approx(3 / 4)
