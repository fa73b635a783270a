"""GAPO's frequency-aware reward (the paper's), for choosing from a known set of valid answers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Sequence
from typing import Any, Literal

from gapo.parsing import extract_choice
from gapo.rewards.base import GroupReward

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


class FrequencyAwareReward(GroupReward):
    """GAPO's reward for choosing from a set: `frequency_aware_reward` over parsed answers.

    Needs a dataset column `valid` (the list of valid answers of the prompt).
    """

    def __init__(self, form: RewardForm = "signed", invalid_reward: float = -1.0) -> None:
        if form not in ("signed", "abs"):
            raise ValueError(f"form must be 'signed' or 'abs', got {form!r}")
        self.form = form
        self.invalid_reward = invalid_reward

    @property
    def __name__(self) -> str:
        return f"frequency_aware_{self.form}"

    def __call__(self, prompt: Any, completions: Sequence[Any], *, valid: Collection[str], **_: Any) -> list[float]:
        answers = [extract_choice(c, valid) for c in completions]
        return frequency_aware_reward(answers, valid, form=self.form, invalid_reward=self.invalid_reward)
