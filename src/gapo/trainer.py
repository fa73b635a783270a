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


def shared_prefix_log_probs(
    model: Any, input_ids: torch.Tensor, attention_mask: torch.Tensor, logits_to_keep: int, compute_entropy: bool
) -> tuple[torch.Tensor, torch.Tensor | None] | None:
    """TRL's per-token log-probabilities (and entropies) of the completions, with each distinct prompt
    of the batch run through the model once, not once per row.

    A GRPO batch holds each prompt G times, and the prompt is most of a row when completions are a
    few tokens. The prompt (all but its last token) runs once, with gradients; its key-value cache
    is indexed out to its rows, and each row runs only its prompt's last token and its completion
    against it. The gradient reaching the prompt is then the sum over its rows, as in the full
    forward pass; positions, masks and the fused head (temperature, entropy) are TRL's. The numbers
    agree with TRL's forward pass to float rounding (tested), not to the bit: the matrices have
    other shapes. None when no two rows share a prompt.
    """
    prompt_len = input_ids.shape[1] - logits_to_keep
    if prompt_len < 2:
        return None
    prompts = torch.cat([input_ids[:, :prompt_len], attention_mask[:, :prompt_len]], dim=1)
    unique, row_prompt = torch.unique(prompts, dim=0, return_inverse=True)
    if unique.shape[0] == input_ids.shape[0]:
        return None
    ids, mask = unique[:, : prompt_len - 1], unique[:, prompt_len : 2 * prompt_len - 1]
    # positions as in TRL's forward pass, which passes none: 0.. over the padded row
    cache = model(input_ids=ids, attention_mask=mask, use_cache=True, logits_to_keep=1).past_key_values
    cache.batch_select_indices(row_prompt)  # differentiable: each row's gradient flows into its prompt
    tail = input_ids[:, prompt_len - 1 :]  # the prompt's last token, whose output scores the first completion token
    labels = tail.masked_fill(attention_mask[:, prompt_len - 1 :] == 0, -100)
    labels[:, 0] = -100
    out = model(input_ids=tail, attention_mask=attention_mask, cache=cache, labels=labels, fused_lm_head=True)
    return out.log_probs[:, -logits_to_keep:], out.entropy[:, -logits_to_keep:] if compute_entropy else None


class GAPOTrainer(trl.GRPOTrainer):
    """GRPO whose reward functions may be `GroupReward`s, mixed freely with per-sample TRL rewards."""

    def __init__(self, *args: Any, reward_funcs: Any, share_prompts: bool = False, **kwargs: Any) -> None:
        self.share_prompts = share_prompts  # the loss runs each distinct prompt once (shared_prefix_log_probs)
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

    def _get_per_token_logps_and_entropies(
        self, model, input_ids, attention_mask, logits_to_keep, batch_size=None, compute_entropy=False, **kwargs
    ):
        """TRL's log-probabilities, with each distinct prompt of a chunk run once
        (`shared_prefix_log_probs`) where `rl.common.share_prompts` asks for it: text only, no
        dropout, no MoE auxiliary loss. A chunk whose rows share no prompt goes through TRL."""
        extra = {k: v for k, v in kwargs.items() if v is not None and v is not False}
        if not self.share_prompts or extra or draws_dropout(self.accelerator.unwrap_model(model)):
            return super()._get_per_token_logps_and_entropies(
                model, input_ids, attention_mask, logits_to_keep, batch_size, compute_entropy, **kwargs
            )
        rows = batch_size or input_ids.shape[0]
        logps, entropies = [], []
        for start in range(0, input_ids.shape[0], rows):
            ids, mask = input_ids[start : start + rows], attention_mask[start : start + rows]
            with self.accelerator.autocast():  # as TRL runs its forward pass (bf16 training)
                chunk = shared_prefix_log_probs(model, ids, mask, logits_to_keep, compute_entropy)
            if chunk is None:
                chunk = super()._get_per_token_logps_and_entropies(
                    model, ids, mask, logits_to_keep, None, compute_entropy
                )
            logps.append(chunk[0])
            entropies.append(chunk[1])
        return torch.cat(logps), torch.cat(entropies) if compute_entropy else None, None

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
