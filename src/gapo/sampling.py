"""Sampling many completions per prompt with transformers (the default, CPU-friendly backend)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence

import torch
from tqdm.auto import tqdm
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from gapo.parsing import extract_choice


def stable_seed(*parts: object) -> int:
    """A stable seed from any parts (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:4], "little")


@torch.no_grad()
def sample_texts(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: list[dict],
    n: int,
    temperature: float,
    max_new_tokens: int,
    seed: int,
    batch_size: int = 512,
) -> list[str]:
    """`n` sampled completions of one chat prompt (pure ancestral sampling: no top-k, no top-p)."""
    enc = tokenizer.apply_chat_template(prompt, add_generation_prompt=True, return_tensors="pt", return_dict=True)
    texts: list[str] = []
    for start in range(0, n, batch_size):
        k = min(batch_size, n - start)
        torch.manual_seed(stable_seed(seed, start))
        out = model.generate(
            input_ids=enc["input_ids"].repeat(k, 1).to(model.device),
            attention_mask=enc["attention_mask"].repeat(k, 1).to(model.device),
            do_sample=True,
            temperature=temperature,
            top_k=0,
            top_p=1.0,
            max_new_tokens=max_new_tokens,
            pad_token_id=tokenizer.pad_token_id,
        )
        new = out[:, enc["input_ids"].shape[1] :]
        texts.extend(t.strip() for t in tokenizer.batch_decode(new, skip_special_tokens=True))
    return texts


def sample_records(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompts: Sequence[dict],
    n: int,
    temperatures: Sequence[float],
    max_new_tokens: int,
    seed: int,
    batch_size: int = 512,
) -> Iterator[dict]:
    """One record per sample: the prompt's id and topic, temperature, completion and parsed answer.

    Prompts with a `valid` column get the answer `extract_choice` finds (None = not valid);
    others (creative) keep the completion as their answer.
    """
    jobs = [(p, t) for t in temperatures for p in prompts]
    for prompt, temperature in tqdm(jobs, desc="sampling", unit="prompt"):
        texts = sample_texts(
            model,
            tokenizer,
            prompt["prompt"],
            n,
            temperature,
            max_new_tokens,
            stable_seed(seed, prompt["id"], temperature),
            batch_size=batch_size,
        )
        for i, text in enumerate(texts):
            valid = prompt.get("valid")
            yield {
                "id": prompt["id"],
                "topic": prompt.get("topic"),
                "temperature": temperature,
                "sample": i,
                "completion": text,
                "answer": extract_choice(text, valid) if valid is not None else text,
            }
