"""GAPOTrainer: TRL's GRPOTrainer with rewards computed over whole groups.

TRL calls each reward function on a process's local slice of the batch, and a group of G
completions of one prompt can straddle two processes (TRL issue 3896). A group reward therefore
gathers every process's slice, scores each whole group, and hands each process back its own part.
Advantages, clipping and loss are GRPO's, unchanged: only where the reward comes from differs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import torch
import trl
from accelerate.utils import gather_object

from gapo.parsing import extract_choice
from gapo.rewards import GroupReward
from gapo.sampling import prompt_cache

# Keyword arguments TRL adds for every reward call that are not dataset columns.
_TRL_REWARD_KWARGS = frozenset({"trainer_state", "log_extra", "log_metric", "environments"})


def group_diagnostics(answers: Sequence[str | None], group_size: int) -> dict[str, float]:
    """Share of valid answers, and distinct valid answers per group, over consecutive groups."""
    groups = [answers[i : i + group_size] for i in range(0, len(answers), group_size)]
    return {
        "groups/valid_fraction": sum(a is not None for a in answers) / len(answers),
        "groups/distinct_answers": sum(len({a for a in g if a is not None}) for g in groups) / len(groups),
    }


def score_groups(
    reward: GroupReward,
    prompts: Sequence[Any],
    completions: Sequence[Any],
    columns: Mapping[str, Sequence[Any]],
    group_size: int,
) -> list[float]:
    """Score consecutive groups of `group_size` completions that share one prompt."""
    n = len(completions)
    if n % group_size:
        raise ValueError(f"{n} completions do not split into groups of {group_size}")
    rewards: list[float] = []
    for start in range(0, n, group_size):
        group = slice(start, start + group_size)
        if any(p != prompts[start] for p in prompts[group]):
            raise ValueError(f"completions {start}..{start + group_size - 1} do not share one prompt")
        scores = reward(prompts[start], list(completions[group]), **{k: v[start] for k, v in columns.items()})
        if len(scores) != group_size:
            raise ValueError(
                f"group reward {reward.__name__} returned {len(scores)} rewards for {group_size} completions"
            )
        rewards.extend(float(s) for s in scores)
    return rewards


class _GroupRewardFunction:
    """Presents a GroupReward to TRL as an ordinary (per-process, batched) reward function."""

    def __init__(self, reward: GroupReward) -> None:
        self.reward = reward
        self.__name__ = reward.__name__
        self.trainer: GAPOTrainer | None = None

    def __call__(self, prompts: list, completions: list, completion_ids: list | None = None, **kwargs: Any) -> list:
        if self.trainer is None:
            raise RuntimeError("a group reward is only usable inside GAPOTrainer")
        return self.trainer.group_rewards(self.reward, prompts, completions, kwargs)


@contextlib.contextmanager
def shared_prompt_reading(model: Any) -> Iterator[None]:
    """While open, `model.generate` reads each run of identical prompt rows once.

    GRPO generates from a batch in which each prompt is repeated G times in a row, and reading the
    prompt is most of the cost when completions are a few tokens. The prompt's key-value cache is
    computed once and copied to its G rows; decoding and sampling are unchanged (tested: the same
    completions, token for token). Batches without equal runs go through generate as they are.
    """
    original = model.generate

    def generate(*args: Any, input_ids: torch.Tensor, attention_mask: torch.Tensor, **kwargs: Any) -> Any:
        _, counts = torch.unique_consecutive(input_ids, dim=0, return_counts=True)
        repeats = int(counts[0])
        given_cache = "cache" in kwargs or "past_key_values" in kwargs
        if args or given_cache or repeats == 1 or bool((counts != repeats).any()):
            return original(*args, input_ids=input_ids, attention_mask=attention_mask, **kwargs)
        cache = prompt_cache(model, input_ids[::repeats], attention_mask[::repeats])
        cache.batch_repeat_interleave(repeats)
        return original(input_ids=input_ids, attention_mask=attention_mask, cache=cache, **kwargs)

    model.generate = generate
    try:
        yield
    finally:
        del model.generate  # the instance attribute; the class's method shows through again


def draws_dropout(model: Any) -> bool:
    """Whether a forward pass of `model` draws dropout masks (TRL generates in training mode).

    Reading a prompt once for G rows would then share one mask among them, so it is not done.
    """
    if not model.training:
        return False
    attention_dropout = getattr(getattr(model, "config", None), "attention_dropout", 0.0) or 0.0
    return attention_dropout > 0 or any(isinstance(m, torch.nn.Dropout) and m.p > 0 for m in model.modules())


class GAPOTrainer(trl.GRPOTrainer):
    """GRPO whose reward functions may be `GroupReward`s, mixed freely with per-sample TRL rewards."""

    def __init__(self, *args: Any, reward_funcs: Any, **kwargs: Any) -> None:
        funcs = reward_funcs if isinstance(reward_funcs, list) else [reward_funcs]
        wrapped = [_GroupRewardFunction(f) if isinstance(f, GroupReward) else f for f in funcs]
        super().__init__(*args, reward_funcs=wrapped, **kwargs)
        for f in wrapped:
            if isinstance(f, _GroupRewardFunction):
                f.trainer = self

    def _generate_single_turn(self, prompt_ids, images, multimodal_fields, num_generations, has_tool_images=False):
        """TRL's generation, with each prompt read once for its G completions (text-only transformers path)."""
        model = self.accelerator.unwrap_model(self.model_wrapped)
        plain_text = not (self.use_vllm or self.use_transformers_continuous_batching or images or multimodal_fields)
        with shared_prompt_reading(model) if plain_text and not draws_dropout(model) else contextlib.nullcontext():
            return super()._generate_single_turn(
                prompt_ids, images, multimodal_fields, num_generations, has_tool_images=has_tool_images
            )

    @property
    def group_size(self) -> int:
        return self.num_generations if self.model.training else self.num_generations_eval

    def _gather(self, *columns: Sequence[Any]) -> list[list[Any]]:
        """Every process's values of each column, in process order (the local values on one process)."""
        if self.accelerator.num_processes == 1:
            return [list(c) for c in columns]
        return [gather_object(list(c)) for c in columns]

    def group_rewards(
        self, reward: GroupReward, prompts: list, completions: list, kwargs: Mapping[str, Any]
    ) -> list[float]:
        """Gather all processes' completions, score whole groups, return this process's slice."""
        names = [k for k in kwargs if k not in _TRL_REWARD_KWARGS]
        prompts, completions, *values = self._gather(prompts, completions, *(kwargs[k] for k in names))
        scores = score_groups(reward, prompts, completions, dict(zip(names, values, strict=True)), self.group_size)
        local = len(scores) // self.accelerator.num_processes
        start = self.accelerator.process_index * local
        return scores[start : start + local]

    def _calculate_rewards(self, inputs: list[dict], prompts: list, completions: list, completion_ids_list: list):
        """TRL's rewards, plus group diagnostics for prompts with a `valid` column: the share of valid
        answers and the number of distinct valid answers per group (logged with TRL's metrics)."""
        rewards = super()._calculate_rewards(inputs, prompts, completions, completion_ids_list)
        if inputs and "valid" in inputs[0]:
            completions_all, valid_all = self._gather(completions, [x["valid"] for x in inputs])
            answers = [extract_choice(c, v) for c, v in zip(completions_all, valid_all, strict=True)]
            for name, value in group_diagnostics(answers, self.group_size).items():
                self._log_metric(name, value)
        return rewards
