"""Loading a policy: a base causal LM (local directory or hub name) with an optional LoRA adapter."""

from __future__ import annotations

from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase


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
    if adapter is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter).merge_and_unload()
    return model.to(device).eval(), tokenizer
