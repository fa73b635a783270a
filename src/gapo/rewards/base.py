"""The protocol every group-level reward follows."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any


class GroupReward(ABC):
    """A reward computed over one whole group.

    `__call__` receives the prompt, its G completions (strings or chat messages, as TRL passes
    them) and that prompt's dataset columns as keyword arguments, and returns G floats.
    `gapo.trainer.GAPOTrainer` reassembles each group before calling it, on any number of processes.
    """

    @property
    def __name__(self) -> str:  # TRL names a reward function's log column after __name__
        return type(self).__name__

    @abstractmethod
    def __call__(self, prompt: Any, completions: Sequence[Any], **columns: Any) -> list[float]: ...
