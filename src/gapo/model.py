"""Loading a policy: a base causal LM (local directory or hub name) with an optional LoRA adapter."""

from __future__ import annotations

import logging
from pathlib import Path

import torch
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    GenerationConfig,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)

log = logging.getLogger(__name__)
# What a model's generation_config may keep: which tokens start, pad and end a sequence.
TOKEN_IDS = ("bos_token_id", "eos_token_id", "pad_token_id", "decoder_start_token_id")
PROBE_TEXT = "pick one planet from this list : mars , venus , earth ."


@torch.no_grad()
def _probe_logits(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase) -> torch.Tensor:
    ids = tokenizer(PROBE_TEXT, return_tensors="pt").input_ids.to(model.device)
    return model(input_ids=ids).logits[0, -1].float().cpu()


def load_tokenizer(base: str) -> PreTrainedTokenizerBase:
    tokenizer = AutoTokenizer.from_pretrained(base)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"  # decoder-only generation continues from the right edge
    return tokenizer


def load_policy(
    base: str, adapter: str | None = None, dtype: str = "float32", device: str = "cpu"
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """The base model, with `adapter` merged in when given, in eval mode, and its tokenizer."""
    path = Path(base)
    if path.exists() and not (path / "config.json").is_file():
        raise FileNotFoundError(f"model path {base!r} is not a transformers model directory (no config.json)")
    if not path.exists() and (base.startswith(("/", ".")) or base.count("/") > 1):  # a path, not "org/name"
        raise FileNotFoundError(f"model path {base!r} does not exist")
    if adapter is not None and not (Path(adapter) / "adapter_config.json").is_file():
        raise FileNotFoundError(f"adapter path {adapter!r} holds no adapter_config.json")
    tokenizer = load_tokenizer(base)
    model = AutoModelForCausalLM.from_pretrained(base, dtype=getattr(torch, dtype))
    model = model.to(device).eval()
    model.generation_config = token_ids_only(model.generation_config)
    if adapter is not None:
        model = merge_adapter(model, tokenizer, adapter)
    return model, tokenizer


def token_ids_only(config: GenerationConfig) -> GenerationConfig:
    """A model's generation_config without its sampling defaults (top_k, top_p, repetition_penalty,
    ...): generate() would otherwise apply them wherever a caller leaves a setting unset, so every
    decoding of the study (sampling, greedy accuracy, lm-eval, TRL's rollouts) states its own."""
    return GenerationConfig(**{k: getattr(config, k) for k in TOKEN_IDS if getattr(config, k, None) is not None})


def adapter_is_trained(adapter: str) -> bool:
    """Whether the adapter's saved weights hold any non-zero LoRA B matrix (LoRA starts B at zero)."""
    from peft.utils import load_peft_weights

    weights = load_peft_weights(adapter, device="cpu")
    return any(t.abs().sum() > 0 for k, t in weights.items() if "lora_B" in k)


def merge_adapter(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, adapter: str) -> PreTrainedModel:
    """Merge a LoRA adapter into `model` and prove it took: an adapter whose saved weights are trained
    must change the model's output on a fixed prompt, or the load is broken (e.g. weight names that
    match no module) and this raises, so that a broken load can never score the base model twice."""
    from peft import PeftModel

    before = _probe_logits(model, tokenizer)
    trained = adapter_is_trained(adapter)
    merged = PeftModel.from_pretrained(model, adapter).merge_and_unload().eval()
    change = (_probe_logits(merged, tokenizer) - before).abs().max().item()
    if trained and change == 0:
        raise RuntimeError(f"adapter {adapter!r} has trained weights but leaves the model's output unchanged")
    if not trained:
        log.warning("adapter %s is untrained (all LoRA B weights zero): the policy is the base model", adapter)
    else:
        log.info("adapter %s loaded: largest logit change on the probe prompt %.3g", adapter, change)
    return merged
