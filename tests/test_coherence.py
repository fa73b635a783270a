"""Coherence = per-token likelihood of a completion under the base model."""

import math

import pytest
import torch

from gapo.coherence import token_likelihoods
from gapo.model import load_policy

PROMPT = [{"role": "user", "content": "write a short story"}]


def by_hand(model, tok, completion):
    prefix = tok.apply_chat_template(PROMPT, add_generation_prompt=True, tokenize=False)
    p_ids = tok(prefix, add_special_tokens=False).input_ids
    c_ids = tok(completion, add_special_tokens=False).input_ids
    with torch.no_grad():
        logp = torch.log_softmax(model(input_ids=torch.tensor([p_ids + c_ids])).logits[0], -1)
    return math.exp(sum(logp[len(p_ids) - 1 + i, t].item() for i, t in enumerate(c_ids)) / len(c_ids))


def test_batched_likelihoods_equal_one_at_a_time(tiny_model_dir):
    model, tok = load_policy(str(tiny_model_dir))
    texts = ["the brave knight sang in the forest .", "the king slept .", "a"]
    got = token_likelihoods(model, tok, PROMPT, texts, batch_size=2)
    assert got == pytest.approx([by_hand(model, tok, t) for t in texts], rel=1e-4)
    assert all(0 < g <= 1 for g in got)
    assert token_likelihoods(model, tok, PROMPT, [""]) == [1.0]
