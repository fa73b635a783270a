"""Rewards: GAPO's group-level rewards and the per-sample rewards of the GRPO ablation.

A *group reward* sees one prompt's whole group of G completions and returns G floats; a
*per-sample reward* is an ordinary TRL reward function (batched over prompts and completions).
`gapo.trainer.GAPOTrainer` accepts both, mixed, with TRL's `reward_weights`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Sequence
from typing import Any, Literal

from gapo.parsing import extract_choice

RewardForm = Literal["signed", "abs"]


def frequency_aware_reward(
    answers: Sequence[Hashable | None],
    valid: Collection[Hashable],
    form: RewardForm = "signed",
    invalid_reward: float = -1.0,
) -> list[float]:
    """The paper's frequency-aware reward for one group.

    With L = |valid| and f_v the share of answer v among the group's valid answers,
    a valid answer gets 1 - (f - 1/L) (`form="signed"`) or 1 - |f - 1/L| (`form="abs"`);
    an invalid answer (None, or not in `valid`) gets `invalid_reward` (-1 in the paper).
    """
    if form not in ("signed", "abs"):
        raise ValueError(f"form must be 'signed' or 'abs', got {form!r}")
    valid_set = set(valid)
    if not valid_set:
        raise ValueError("the set of valid answers is empty")
    target = 1.0 / len(valid_set)
    counts = Counter(a for a in answers if a is not None and a in valid_set)
    n_valid = sum(counts.values())
    rewards = []
    for a in answers:
        if a is None or a not in valid_set:
            rewards.append(float(invalid_reward))
            continue
        excess = counts[a] / n_valid - target
        rewards.append(1.0 - (excess if form == "signed" else abs(excess)))
    return rewards


class GroupReward(ABC):
    """A reward computed over one whole group: the protocol every group-level reward follows.

    `__call__` receives the prompt, its G completions (strings or chat messages, as TRL passes
    them) and that prompt's dataset columns as keyword arguments, and returns G floats.
    """

    @property
    def __name__(self) -> str:  # TRL names a reward function's log column after __name__
        return type(self).__name__

    @abstractmethod
    def __call__(self, prompt: Any, completions: Sequence[Any], **columns: Any) -> list[float]: ...


class FrequencyAwareReward(GroupReward):
    """GAPO's reward for choosing from a set: `frequency_aware_reward` over parsed answers.

    Needs a dataset column `valid` (the list of valid answers of the prompt).
    """

    def __init__(self, form: RewardForm = "signed", invalid_reward: float = -1.0) -> None:
        self.form = form
        self.invalid_reward = invalid_reward

    @property
    def __name__(self) -> str:
        return f"frequency_aware_{self.form}"

    def __call__(self, prompt: Any, completions: Sequence[Any], *, valid: Collection[str], **_: Any) -> list[float]:
        answers = [extract_choice(c, valid) for c in completions]
        return frequency_aware_reward(answers, valid, form=self.form, invalid_reward=self.invalid_reward)


def validity_reward(completions: Sequence[Any], valid: Sequence[Collection[str]], **_: Any) -> list[float]:
    """Per-sample TRL reward of the GRPO ablation: +1 for a valid answer, -1 otherwise."""
    return [1.0 if extract_choice(c, v) is not None else -1.0 for c, v in zip(completions, valid, strict=True)]


def build_reward(name: str, **kwargs: Any) -> GroupReward | Callable[..., list[float]]:
    """The reward a config names: `frequency_aware` (GAPO) or `validity` (GRPO ablation)."""
    if name == "frequency_aware":
        return FrequencyAwareReward(**kwargs)
    if name == "validity":
        if kwargs:
            raise ValueError(f"the validity reward takes no options, got {sorted(kwargs)}")
        return validity_reward
    raise ValueError(f"unknown reward {name!r}; known: frequency_aware, validity")
