"""Per-sample rewards: ordinary TRL reward functions (batched over prompts and completions)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from gapo.parsing import extract_choice


def validity_reward(completions: Sequence[Any], valid: Sequence[Collection[str]], **_: Any) -> list[float]:
    """The GRPO ablation's reward: +1 for a valid answer, -1 otherwise."""
    return [1.0 if extract_choice(c, v) is not None else -1.0 for c, v in zip(completions, valid, strict=True)]
