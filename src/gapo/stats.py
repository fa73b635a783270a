"""Statistics over seeds: mean and a t-based 95% confidence interval."""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy import stats


def mean_ci95(values: Sequence[float]) -> tuple[float, float]:
    """Mean and half-width of the 95% confidence interval of the mean (Student t, n - 1 degrees of
    freedom); the half-width is NaN for a single value, which has no spread to estimate."""
    xs = [float(v) for v in values]
    if not xs:
        raise ValueError("no values")
    mean = sum(xs) / len(xs)
    if len(xs) < 2:
        return mean, math.nan
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1))
    return mean, float(stats.t.ppf(0.975, len(xs) - 1)) * sd / math.sqrt(len(xs))


def ci95_interval(values: Sequence[float]) -> tuple[float, float]:
    """(low, high) of the 95% interval: seaborn's `errorbar=` callable (a point for one value)."""
    mean, half = mean_ci95(values)
    half = 0.0 if math.isnan(half) else half
    return mean - half, mean + half
