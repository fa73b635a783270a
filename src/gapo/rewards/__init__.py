"""Rewards: GAPO's group-level rewards (a reward zoo) and per-sample TRL rewards.

A *group reward* (`GroupReward`) sees one prompt's whole group of G completions and returns G
floats; a *per-sample reward* is an ordinary TRL reward function. `gapo.trainer.GAPOTrainer`
accepts both, mixed, with TRL's reward weights. The config names a reward by its key in `REWARDS`
or by an import path `package.module:Name` (a GroupReward subclass or a TRL reward function), so
that users plug in their own without touching this package.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from gapo.rewards.base import GroupReward
from gapo.rewards.embedding import EmbeddingDiversityReward
from gapo.rewards.frequency import FrequencyAwareReward, RewardForm, frequency_aware_reward
from gapo.rewards.open_set import OpenSetReward, open_set_reward
from gapo.rewards.partition import PartitionReward, partition_reward
from gapo.rewards.per_sample import validity_reward

__all__ = [
    "REWARDS",
    "EmbeddingDiversityReward",
    "FrequencyAwareReward",
    "GroupReward",
    "OpenSetReward",
    "PartitionReward",
    "RewardForm",
    "build_reward",
    "frequency_aware_reward",
    "open_set_reward",
    "partition_reward",
    "validity_reward",
]

RewardFunction = GroupReward | Callable[..., list[float]]

# Name in the config -> a GroupReward class, or a per-sample TRL reward function.
REWARDS: dict[str, type[GroupReward] | Callable[..., list[float]]] = {
    "frequency_aware": FrequencyAwareReward,
    "partition": PartitionReward,
    "embedding_diversity": EmbeddingDiversityReward,
    "open_set": OpenSetReward,
    "validity": validity_reward,
}


def _import(path: str) -> Any:
    module, _, attr = path.partition(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as err:
        raise ValueError(f"reward {path!r} cannot be imported: {err}") from err


def build_reward(name: str, **options: Any) -> RewardFunction:
    """The reward a config names, built with its `options`.

    A GroupReward class is instantiated with the options; a per-sample function takes none.
    """
    if ":" in name:
        target = _import(name)
    elif name in REWARDS:
        target = REWARDS[name]
    else:
        raise ValueError(f"unknown reward {name!r}; known: {', '.join(sorted(REWARDS))}, or an import path module:Name")
    if isinstance(target, type) and issubclass(target, GroupReward):
        try:
            return target(**options)
        except TypeError as err:
            raise ValueError(f"reward {name!r}: bad options {sorted(options)}: {err}") from err
    if isinstance(target, GroupReward):
        if options:
            raise ValueError(f"reward {name!r} is an instance and takes no options, got {sorted(options)}")
        return target
    if callable(target):
        if options:
            raise ValueError(f"the per-sample reward {name!r} takes no options, got {sorted(options)}")
        return target
    raise ValueError(f"reward {name!r} is neither a GroupReward nor a reward function")
