"""A DARLING-style partition reward: quality times the share of the group unlike the completion.

DARLING (Li et al., 2025, "Jointly Reinforcing Diversity and Quality in Language Model
Generations") partitions a group into classes of equivalent completions and multiplies each
completion's quality by its diversity. Here two completions are equivalent when they name the same
valid answer (or, both invalid, read the same), and quality is validity (1 or 0).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Sequence
from typing import Any

from gapo.parsing import completion_text, extract_choice, normalise
from gapo.rewards.base import GroupReward


def partition_reward(classes: Sequence[Hashable], quality: Sequence[float]) -> list[float]:
    """Quality times diversity, where diversity is the share of the *other* G-1 completions that lie
    outside the completion's own class (0 when the group has one completion)."""
    if len(classes) != len(quality):
        raise ValueError(f"{len(classes)} classes for {len(quality)} quality scores")
    size = Counter(classes)
    others = len(classes) - 1
    return [q * ((others - (size[c] - 1)) / others if others else 0.0) for c, q in zip(classes, quality, strict=True)]


class PartitionReward(GroupReward):
    """`partition_reward` over parsed answers; needs a dataset column `valid`."""

    def __call__(self, prompt: Any, completions: Sequence[Any], *, valid: Collection[str], **_: Any) -> list[float]:
        answers = [extract_choice(c, valid) for c in completions]
        classes = [
            a if a is not None else ("invalid", normalise(completion_text(c)))
            for a, c in zip(answers, completions, strict=True)
        ]
        return partition_reward(classes, [float(a is not None) for a in answers])

    @property
    def __name__(self) -> str:
        return "partition"
