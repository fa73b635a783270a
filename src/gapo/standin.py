"""The stand-in model: a word-level tokenizer with a chat template and a tiny Qwen3 causal LM.

Qwen is the paper's model family, and its rotary positions are what TRL's GRPO training needs
with left-padded prompts (its training forward passes no position ids; see DESIGN.md). Qwen3
rather than Qwen2: for a `qwen2` model directory, transformers' AutoTokenizer always builds the
byte-level Qwen2Tokenizer and would discard this word-level tokenizer.
The result is an ordinary transformers model directory, loaded like any hub model.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from datasets import Dataset
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import PreTrainedTokenizerFast, Qwen3Config, Qwen3ForCausalLM, TrainerCallback
from trl import SFTConfig, SFTTrainer

log = logging.getLogger(__name__)

SPECIAL_TOKENS = ("<pad>", "<unk>", "<eos>", "<user>", "<assistant>")
# One user turn, one assistant turn, words separated by spaces. The generation prompt ends with a
# space so that lm-eval's continuations stay separate words.
CHAT_TEMPLATE = (
    "{% for m in messages %}"
    "{% if m['role'] == 'assistant' %}<assistant> {{ m['content'] }} <eos> "
    "{% else %}<user> {{ m['content'] }} {% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}<assistant> {% endif %}"
)


def build_tokenizer(texts: Iterable[str]) -> PreTrainedTokenizerFast:
    """A word-level tokenizer whose vocabulary is every whitespace-separated word of `texts`."""
    words = sorted({w for text in texts for w in text.split()} - set(SPECIAL_TOKENS))
    vocab = {tok: i for i, tok in enumerate([*SPECIAL_TOKENS, *words])}
    backend = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend, unk_token="<unk>", pad_token="<pad>", eos_token="<eos>", padding_side="left"
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


@dataclass(frozen=True)
class StandinArchitecture:
    hidden_size: int = 128
    intermediate_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    max_position_embeddings: int = 128
    tie_word_embeddings: bool = True


def build_model(tokenizer: PreTrainedTokenizerFast, arch: StandinArchitecture, seed: int) -> Qwen3ForCausalLM:
    torch.manual_seed(seed)
    config = Qwen3Config(
        vocab_size=len(tokenizer),
        hidden_size=arch.hidden_size,
        intermediate_size=arch.intermediate_size,
        num_hidden_layers=arch.num_hidden_layers,
        num_attention_heads=arch.num_attention_heads,
        num_key_value_heads=arch.num_attention_heads,
        head_dim=arch.hidden_size // arch.num_attention_heads,
        max_position_embeddings=arch.max_position_embeddings,
        tie_word_embeddings=arch.tie_word_embeddings,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
    )
    model = Qwen3ForCausalLM(config)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    return model


@dataclass(frozen=True)
class PretrainSettings:
    steps: int = 2000
    batch_size: int = 64
    learning_rate: float = 3e-3
    warmup_ratio: float = 0.02
    seed: int = 0
    probe_every: int = 0  # steps between membership probes (0: none)
    stop_patience: int = 0  # stop after this many probes without improvement (0: never stop early)
    stop_min_delta: float = 0.0  # an improvement smaller than this does not count
    micro_batches: int = 1  # a batch cut by length into this many micro-batches (same step, less padding)


class SortedBatchSampler(torch.utils.data.Sampler[int]):
    """Random batches of `batch_size` examples, each sorted by length: cut into consecutive
    micro-batches, a batch's short examples are padded among themselves, not to its longest list."""

    def __init__(self, lengths: Sequence[int], batch_size: int, seed: int) -> None:
        self.lengths, self.batch_size, self.seed = list(lengths), batch_size, seed
        self.epoch = 0

    def __len__(self) -> int:
        return len(self.lengths)

    def __iter__(self):
        g = torch.Generator().manual_seed(self.seed + self.epoch)
        self.epoch += 1
        order = torch.randperm(len(self.lengths), generator=g).tolist()
        for start in range(0, len(order), self.batch_size):
            yield from sorted(order[start : start + self.batch_size], key=lambda i: self.lengths[i])


class _MicroBatchSFTTrainer(SFTTrainer):
    """SFTTrainer whose batches come from a SortedBatchSampler: with gradient accumulation over a
    batch's micro-batches, each optimiser step is the whole batch's (the loss is normalised by the
    batch's token count), computed on less padding."""

    def __init__(self, *args, full_batch: int, **kwargs) -> None:
        self.full_batch = full_batch
        super().__init__(*args, **kwargs)

    def _get_train_sampler(self, train_dataset=None):
        dataset = train_dataset if train_dataset is not None else self.train_dataset
        return SortedBatchSampler([len(ids) for ids in dataset["input_ids"]], self.full_batch, self.args.seed)


@torch.no_grad()
def offlist_mass(model, tokenizer: PreTrainedTokenizerFast, lists: Sequence[dict], temperature: float = 1.0) -> float:
    """Mean probability mass of the first answer token off the list, exactly (no sampling): how
    well the model reads which items a list holds. One answer is one word, so one token."""
    texts = [tokenizer.apply_chat_template(r["prompt"], tokenize=False, add_generation_prompt=True) for r in lists]
    batch = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(model.device)
    was_training = model.training
    model.eval()
    probs = torch.softmax(model(**batch).logits[:, -1, :].float() / temperature, dim=-1)
    model.train(was_training)
    on_list = [
        row[tokenizer.convert_tokens_to_ids(r["valid"])].sum().item() for row, r in zip(probs, lists, strict=True)
    ]
    return 1.0 - sum(on_list) / len(on_list)


class MembershipStop(TrainerCallback):
    """Every `every` steps, the off-list mass on probe lists (`offlist_mass`); stops training once
    `patience` probes in a row improve on the best by less than `min_delta` (never, with patience 0)."""

    def __init__(self, lists: Sequence[dict], every: int, patience: int, min_delta: float) -> None:
        self.lists, self.every, self.patience, self.min_delta = list(lists), every, patience, min_delta
        self.curve: list[dict] = []
        self.best, self.stale = math.inf, 0

    def on_step_end(self, args, state, control, model=None, processing_class=None, **kwargs):
        if state.global_step % self.every:
            return
        value = offlist_mass(model, processing_class, self.lists)
        self.curve.append({"step": state.global_step, "offlist_mass": round(value, 5)})
        log.info("step %d: off-list mass on probe lists %.4f", state.global_step, value)
        if value < self.best - self.min_delta:
            self.best, self.stale = value, 0
        else:
            self.stale += 1
        if self.patience and self.stale >= self.patience:
            log.info("membership stopped improving: pretraining stops at step %d", state.global_step)
            control.should_training_stop = True


def tokenize_corpus(records: list[dict], tokenizer: PreTrainedTokenizerFast) -> Dataset:
    """Prompt-completion records as `input_ids` and `labels` (-100 on the prompt), in one batch.

    The same sequences TRL's SFTTrainer would build one example at a time (tested), in a fraction
    of its time: its per-example chat-template and tokenizer calls were a tenth of pretraining.
    """
    prompts = tokenizer.apply_chat_template([r["prompt"] for r in records], tokenize=False, add_generation_prompt=True)
    texts = tokenizer.apply_chat_template([[*r["prompt"], *r["completion"]] for r in records], tokenize=False)
    # The backend tokenizer alone: the wrapper's batch call spends longer building its output
    prompt_ids = [e.ids for e in tokenizer.backend_tokenizer.encode_batch(prompts, add_special_tokens=False)]
    text_ids = [e.ids for e in tokenizer.backend_tokenizer.encode_batch(texts, add_special_tokens=False)]
    labels = []
    for prompt, text in zip(prompt_ids, text_ids, strict=True):
        if text[: len(prompt)] != prompt:
            raise ValueError(f"the chat template renders a prompt that is not a prefix of its example: {prompt}")
        labels.append([-100] * len(prompt) + text[len(prompt) :])
    return Dataset.from_dict({"input_ids": text_ids, "labels": labels})


def corpus_texts(records: list[dict]) -> Iterable[str]:
    for rec in records:
        for message in [*rec["prompt"], *rec["completion"]]:
            yield message["content"]


def pretrain(
    records: list[dict],
    arch: StandinArchitecture,
    settings: PretrainSettings,
    out_dir: Path,
    callbacks: Sequence[TrainerCallback] = (),
    device: str = "cpu",
    probe_lists: Sequence[dict] = (),
) -> dict:
    """Build tokenizer and model, train on the answers of a prompt-completion corpus, save to `out_dir`.

    Loss falls on the completion (answer and `<eos>`) only, as in instruction tuning. `callbacks`
    see the model and, as `processing_class`, the tokenizer. With `settings.probe_every`, the
    off-list mass on `probe_lists` is logged as it trains (and may stop it: `MembershipStop`).
    Returns the final training metrics, with that curve and the step training stopped at.
    """
    if settings.batch_size % settings.micro_batches:
        raise ValueError(
            f"standin.pretrain.micro_batches = {settings.micro_batches} does not divide batch_size = "
            f"{settings.batch_size}; fix: give a divisor of it"
        )
    tokenizer = build_tokenizer(corpus_texts(records))
    model = build_model(tokenizer, arch, settings.seed)
    log.info("stand-in model: %d parameters, vocabulary %d", model.num_parameters(), len(tokenizer))
    dataset = tokenize_corpus(records, tokenizer)
    args = SFTConfig(
        output_dir=str(out_dir),
        max_steps=settings.steps,
        per_device_train_batch_size=settings.batch_size // settings.micro_batches,
        gradient_accumulation_steps=settings.micro_batches,
        learning_rate=settings.learning_rate,
        lr_scheduler_type="cosine",
        warmup_steps=settings.warmup_ratio,
        weight_decay=0.0,
        gradient_checkpointing=False,  # TRL turns it on by default; a tiny model only pays its cost
        bf16=False,  # TRL defaults to bf16 autocast, which is slow on CPUs without bf16 units
        logging_steps=max(1, settings.steps // 20),
        save_strategy="no",
        report_to="none",
        use_cpu=device == "cpu",
        seed=settings.seed,
        data_seed=settings.seed,
        dataloader_num_workers=0,
        dataset_kwargs={"skip_prepare_dataset": True},  # tokenize_corpus has prepared it
        disable_tqdm=os.environ.get("GAPO_PROGRESS", "1") != "1",  # GAPO_PROGRESS=0 silences progress bars
    )
    probe = None
    if settings.probe_every:
        if not probe_lists:
            raise ValueError("pretraining probes membership every few steps but was given no probe lists")
        probe = MembershipStop(probe_lists, settings.probe_every, settings.stop_patience, settings.stop_min_delta)
    trainer = _MicroBatchSFTTrainer(
        full_batch=settings.batch_size,
        model=model,
        args=args,
        train_dataset=dataset,
        processing_class=tokenizer,
        callbacks=[*callbacks, *([probe] if probe else [])],
    )
    result = trainer.train()
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return {
        **result.metrics,
        "num_parameters": model.num_parameters(),
        "vocab_size": len(tokenizer),
        "steps_trained": trainer.state.global_step,
        "membership_curve": probe.curve if probe else [],
    }
