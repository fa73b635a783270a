"""Sampling many completions per prompt: transformers (the default, any device) or vLLM (GPU).

Both backends take the same requests and give the same records, so every metric downstream is
blind to which one sampled.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import torch
from tqdm.auto import tqdm
from transformers import Cache, GenerationConfig, PreTrainedModel, PreTrainedTokenizerBase

from gapo.model import load_policy
from gapo.parsing import extract_choice

# Every setting of transformers' sampling that shapes the distribution drawn from, at its neutral
# value: pure ancestral sampling at a temperature. Stated in full, because generate() fills any
# setting left unset from the model's own generation_config (Qwen2.5-Instruct ships
# repetition_penalty 1.05, top_k 20, top_p 0.8, which penalise the list items in the prompt);
# `gapo.model.load_policy` also clears that config, so greedy and lm-eval decoding see none of it.
PURE_SAMPLING: dict[str, object] = {
    "do_sample": True,
    "top_k": 0,
    "top_p": 1.0,
    "typical_p": 1.0,
    "epsilon_cutoff": 0.0,
    "eta_cutoff": 0.0,
    "repetition_penalty": 1.0,
    "encoder_repetition_penalty": 1.0,
    "no_repeat_ngram_size": 0,
}


def sampling_config(temperature: float, max_new_tokens: int, pad_token_id: int | None) -> GenerationConfig:
    """The complete GenerationConfig of pure sampling at `temperature` (no top-k, top-p or penalty)."""
    return GenerationConfig(
        **PURE_SAMPLING, temperature=temperature, max_new_tokens=max_new_tokens, pad_token_id=pad_token_id
    )


def lm_eval_sampling(temperature: float) -> str:
    """lm-eval's `gen_kwargs` string for the same pure sampling at `temperature`."""
    return ",".join(f"{k}={v}" for k, v in {**PURE_SAMPLING, "temperature": temperature}.items())


def stable_seed(*parts: object) -> int:
    """A stable seed from any parts (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:4], "little")


@torch.no_grad()
def prompt_cache(model: PreTrainedModel, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> Cache:
    """The key-value cache of left-padded prompts, for generate() to continue from.

    It holds every prompt token but the last, which generate() feeds to start decoding, at the
    positions generate() itself gives left-padded rows. Copied to the rows that share a prompt
    (`Cache.batch_repeat_interleave`), it spares reading that prompt once per row.
    """
    position_ids = (attention_mask.long().cumsum(-1) - 1).masked_fill(attention_mask == 0, 1)
    return model(
        input_ids=input_ids[:, :-1],
        attention_mask=attention_mask[:, :-1],
        position_ids=position_ids[:, :-1],
        use_cache=True,
    ).past_key_values


def stop_and_pad_ids(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase) -> tuple[list[int], int]:
    """The tokens that end a sample and the one that pads it after its end, as generate() takes them:
    the model's generation_config's EOS (its tokenizer's if it names none) and the tokenizer's pad
    token, or the first EOS where it has none."""
    eos = model.generation_config.eos_token_id
    eos = tokenizer.eos_token_id if eos is None else eos
    eos_ids = [] if eos is None else [int(e) for e in (eos if isinstance(eos, list | tuple) else [eos])]
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (eos_ids[0] if eos_ids else 0)
    return eos_ids, int(pad)


def draw_per_prefix(probs: torch.Tensor, prefix_of_row: torch.Tensor) -> torch.Tensor:
    """One token for each row from its prefix's distribution (`probs`: prefixes x vocabulary), the
    rows independent: each prefix draws all its rows' tokens at once, with replacement.

    torch.multinomial draws several samples with replacement by inverse CDF: one cumulative sum per
    prefix and one uniform number per sample. A single sample, or one without replacement, would
    instead cost one exponential number per vocabulary entry and row (generate()'s way: 100 rows of
    a 49,152-token vocabulary draw 4.9 million a step), so every prefix draws at least two.
    """
    counts = torch.bincount(prefix_of_row, minlength=probs.shape[0])
    drawn = torch.multinomial(probs, max(2, int(counts.max())), replacement=True)
    # a row takes its prefix's next unused sample: rank the rows within their prefix
    order = torch.argsort(prefix_of_row, stable=True)
    first_of_prefix = torch.cumsum(counts, 0) - counts
    rank = torch.empty_like(prefix_of_row)
    rank[order] = torch.arange(prefix_of_row.shape[0], device=probs.device) - first_of_prefix[prefix_of_row[order]]
    return drawn[prefix_of_row, rank]


@torch.no_grad()
def decode_shared(
    model: PreTrainedModel,
    prompt_ids: torch.Tensor,
    prefix: Cache,
    rows: int,
    temperature: float,
    max_new_tokens: int,
    eos_ids: Sequence[int],
    pad_id: int,
) -> torch.Tensor:
    """`rows` sampled continuations of one prompt (`prompt_ids`, 1 x L; `prefix`: the cache of all but
    its last token, `prompt_cache`), as `rows` x up to `max_new_tokens` token ids, padded after EOS.

    Pure ancestral sampling from the softmax of the float32 logits over the temperature, the rows
    independent, but the model runs once per distinct unfinished prefix, not once per row: rows
    that have sampled the same tokens so far share one cache row, and finished rows drop out. A
    collapsed model's rows share most of their decoding. Each prefix draws its rows' next tokens at
    once (`draw_per_prefix`), so the random stream depends on the prefixes, not on how the model
    batches them.
    """
    device = prompt_ids.device
    cache = copy.deepcopy(prefix)  # one row: the prompt
    tokens = prompt_ids[:, -1:]  # what each distinct prefix feeds next (U x 1)
    length = prompt_ids.shape[1]  # tokens in the cache after this step's
    live = torch.arange(rows, device=device)  # the unfinished rows
    prefix_of_live = torch.zeros(rows, dtype=torch.long, device=device)
    eos = torch.tensor(list(eos_ids), dtype=torch.long, device=device)
    out = []
    for _ in range(max_new_tokens):
        logits = (
            model(
                input_ids=tokens,
                attention_mask=torch.ones(tokens.shape[0], length, dtype=torch.long, device=device),
                position_ids=torch.full_like(tokens, length - 1),
                cache=cache,
                use_cache=True,
            )
            .logits[:, -1]
            .to(dtype=torch.float32)
        )
        if temperature != 1.0:  # as generate(): logits divided only when the temperature is not 1
            logits = logits / temperature
        probs = torch.softmax(logits, dim=-1)
        drawn = draw_per_prefix(probs, prefix_of_live)
        out.append(torch.full((rows,), pad_id, dtype=torch.long, device=device).index_put_((live,), drawn))
        going_on = ~torch.isin(drawn, eos)
        if not going_on.any():
            break
        live, prefix_of_live, drawn = live[going_on], prefix_of_live[going_on], drawn[going_on]
        # the distinct (prefix, token) pairs of the unfinished rows, in order, are the next step's prefixes
        vocab = probs.shape[-1]
        pairs, prefix_of_live = torch.unique(prefix_of_live * vocab + drawn, return_inverse=True)
        kept = pairs // vocab
        if kept.shape[0] != tokens.shape[0] or not torch.equal(kept, torch.arange(kept.shape[0], device=device)):
            cache.batch_select_indices(kept)  # a copy of the whole cache: skipped when every prefix goes on once
        tokens = (pairs % vocab)[:, None]
        length += 1
    return torch.stack(out, dim=1)


def chat_input_ids(tokenizer: PreTrainedTokenizerBase, prompt: list[dict]) -> torch.Tensor:
    """The token ids (1 x length) of a chat prompt, with the model's template and the assistant's turn opened."""
    enc = tokenizer.apply_chat_template(prompt, add_generation_prompt=True, return_tensors="pt", return_dict=True)
    return enc["input_ids"]


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
    """`n` sampled completions of one chat prompt (pure ancestral sampling: no top-k, no top-p).

    The prompt is read once and its key-value cache shared by every row of a batch, and rows that
    have sampled the same tokens so far share their decoding too (`decode_shared`): a batch of
    `batch_size` samples costs one prompt's forward pass and the distinct prefixes, not `batch_size`
    prompts and rows. Each batch is seeded from `seed` and the index of its first sample.
    """
    ids = chat_input_ids(tokenizer, prompt).to(model.device)
    prefix = prompt_cache(model, ids, torch.ones_like(ids))
    eos_ids, pad_id = stop_and_pad_ids(model, tokenizer)
    texts: list[str] = []
    for start in range(0, n, batch_size):
        k = min(batch_size, n - start)
        torch.manual_seed(stable_seed(seed, start))
        new = decode_shared(model, ids, prefix, k, temperature, max_new_tokens, eos_ids, pad_id)
        texts.extend(t.strip() for t in tokenizer.batch_decode(new, skip_special_tokens=True))
    return texts


@dataclass(frozen=True)
class SampleRequest:
    """`n` completions of one chat prompt at one temperature (pure ancestral sampling)."""

    prompt: list[dict]
    n: int
    temperature: float
    max_new_tokens: int
    seed: int


class Sampler(Protocol):
    """A sampling backend: completions for many requests, one list of `n` texts per request."""

    def sample(self, requests: Sequence[SampleRequest]) -> list[list[str]]: ...


@dataclass
class TransformersSampler:
    """transformers' generate, one request at a time, its `n` samples in batches (any device)."""

    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    batch_size: int = 512

    def sample(self, requests: Sequence[SampleRequest]) -> list[list[str]]:
        return [
            sample_texts(
                self.model, self.tokenizer, r.prompt, r.n, r.temperature, r.max_new_tokens, r.seed, self.batch_size
            )
            for r in tqdm(requests, desc="sampling", unit="prompt")
        ]


def load_sampler(
    backend: str,
    base: str,
    adapter: str | None,
    dtype: str = "float32",
    device: str = "cpu",
    batch_size: int = 512,
    seed: int = 0,
    vllm_options: dict | None = None,
) -> Sampler:
    """The configured backend (`compute.sampling_backend`) with the policy (base + adapter) loaded."""
    if backend == "vllm":
        from gapo.vllm_sampling import VLLMSampler  # imported here: it imports this module

        return VLLMSampler(base, adapter, dtype=dtype, seed=seed, **(vllm_options or {}))
    model, tokenizer = load_policy(base, adapter, dtype=dtype, device=device)
    return TransformersSampler(model, tokenizer, batch_size)


def sample_records(
    sampler: Sampler,
    prompts: Sequence[dict],
    n: int,
    temperatures: Sequence[float],
    max_new_tokens: int,
    seed: int,
) -> list[dict]:
    """One record per sample: the prompt's id and topic, temperature, completion and parsed answer.

    Prompts with a `valid` column get the answer `extract_choice` finds (None = not valid);
    others (creative) keep the completion as their answer. The records are the same whichever
    backend samples.
    """
    jobs = [(p, t) for t in temperatures for p in prompts]
    requests = [SampleRequest(p["prompt"], n, t, max_new_tokens, stable_seed(seed, p["id"], t)) for p, t in jobs]
    records = []
    for (prompt, temperature), texts in zip(jobs, sampler.sample(requests), strict=True):
        if len(texts) != n:
            raise RuntimeError(f"the sampler returned {len(texts)} completions for prompt {prompt['id']}, not {n}")
        valid = prompt.get("valid")
        records.extend(
            {
                "id": prompt["id"],
                "topic": prompt.get("topic"),
                "temperature": temperature,
                "sample": i,
                "completion": text,
                "answer": extract_choice(text, valid) if valid is not None else text,
            }
            for i, text in enumerate(texts)
        )
    return records
