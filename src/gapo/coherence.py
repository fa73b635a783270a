"""Coherence of free-form completions: how likely the base model finds them.

The paper reports creativity "with controlled coherence". Here a completion's coherence is its
per-token likelihood under the *base* model, exp(mean log p(token | prompt, previous tokens)), in
(0, 1]: diversity bought with text the base model would not write scores low.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from statistics import mean

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


@torch.no_grad()
def token_likelihoods(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: list[dict],
    completions: Sequence[str],
    batch_size: int = 64,
) -> list[float]:
    """exp(mean token log-probability) of each completion after the chat prompt (1.0 for an empty one)."""
    prefix = tokenizer.apply_chat_template(prompt, add_generation_prompt=True, tokenize=False)
    prefix_ids = tokenizer(prefix, add_special_tokens=False).input_ids
    scores: list[float] = []
    for start in range(0, len(completions), batch_size):
        chunk = completions[start : start + batch_size]
        ids = [prefix_ids + tokenizer(c, add_special_tokens=False).input_ids for c in chunk]
        width = max(len(x) for x in ids)
        pad = tokenizer.pad_token_id
        input_ids = torch.tensor([x + [pad] * (width - len(x)) for x in ids], device=model.device)
        attention = torch.tensor([[1] * len(x) + [0] * (width - len(x)) for x in ids], device=model.device)
        logp = torch.log_softmax(model(input_ids=input_ids, attention_mask=attention).logits.float(), -1)
        for row, x in enumerate(ids):
            n = len(x) - len(prefix_ids)
            if n == 0:
                scores.append(1.0)
                continue
            positions = torch.arange(len(prefix_ids) - 1, len(x) - 1, device=model.device)
            targets = torch.tensor(x[len(prefix_ids) :], device=model.device)
            scores.append(float(torch.exp(logp[row, positions, targets].mean())))
    return scores


def coherence_metrics(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, samples: Sequence[dict], prompts: Sequence[dict]
) -> dict:
    """Mean coherence per temperature, over every prompt's samples, with each prompt's mean."""
    prompt_of = {p["id"]: p["prompt"] for p in prompts}
    grouped: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for s in sorted(samples, key=lambda s: (s["temperature"], s["id"], s["sample"])):
        grouped[f"{float(s['temperature']):g}"][s["id"]].append(s["completion"])
    result = {}
    for temperature, by_prompt in grouped.items():
        per_prompt = {
            pid: mean(token_likelihoods(model, tokenizer, prompt_of[pid], texts)) for pid, texts in by_prompt.items()
        }
        result[temperature] = {"coherence": mean(per_prompt.values()), "prompts": per_prompt}
    return result
