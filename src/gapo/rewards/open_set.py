"""A reward for open-ended prompts ("name a fruit"): valid is any member of the prompt's category.

An open set has no list to be uniform over, and its size may be unknown (every country), so a
valid answer earns its novelty within the group, 1 - f, where f is the share of the group's valid
completions that give the same answer; an answer outside the category earns `invalid_reward`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from gapo.parsing import extract_choice
from gapo.rewards.base import GroupReward


def open_set_reward(answers: Sequence[str | None], invalid_reward: float = -1.0) -> list[float]:
    """1 - (share of the valid answers equal to this one) for a valid answer, `invalid_reward` for None."""
    counts = Counter(a for a in answers if a is not None)
    n_valid = sum(counts.values())
    return [float(invalid_reward) if a is None else 1.0 - counts[a] / n_valid for a in answers]


def load_categories(categories: str | Mapping[str, Collection[str]] | None) -> dict[str, list[str]]:
    """Categories by name: the stand-in world's topics (None), a mapping, or a JSON file of one."""
    if categories is None:
        from gapo.topics import TOPICS

        return {k: list(v) for k, v in TOPICS.items()}
    if isinstance(categories, str):
        path = Path(categories)
        if not path.is_file():
            raise FileNotFoundError(f"categories file {categories!r} does not exist")
        categories = json.loads(path.read_text())
        if not isinstance(categories, dict):
            raise ValueError(f"categories file {path} must hold a JSON object {{category: [members]}}")
    return {str(k): list(v) for k, v in categories.items()}


class OpenSetReward(GroupReward):
    """`open_set_reward`; a prompt's category is named by its dataset column `category_column`."""

    def __init__(
        self,
        categories: str | Mapping[str, Collection[str]] | None = None,
        category_column: str = "topic",
        invalid_reward: float = -1.0,
    ) -> None:
        self.categories = load_categories(categories)
        self.category_column = category_column
        self.invalid_reward = invalid_reward

    @property
    def __name__(self) -> str:
        return "open_set"

    def __call__(self, prompt: Any, completions: Sequence[Any], **columns: Any) -> list[float]:
        if self.category_column not in columns:
            raise KeyError(f"open_set reward: the dataset has no column {self.category_column!r} naming the category")
        category = columns[self.category_column]
        if category not in self.categories:
            raise KeyError(f"open_set reward: unknown category {category!r}; known: {sorted(self.categories)}")
        members = self.categories[category]
        return open_set_reward([extract_choice(c, members) for c in completions], self.invalid_reward)
