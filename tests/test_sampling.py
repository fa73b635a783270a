"""Sampling backends: the same requests give the same record schema; vLLM's LoRA rank from the adapter."""

import dataclasses
import json
import os
import shutil
import sys

import pytest
import torch
from lm_eval.utils import simple_parse_args_string
from peft import LoraConfig, get_peft_model
from transformers import AutoTokenizer, GenerationConfig

from gapo.data import eval_lists
from gapo.model import load_policy
from gapo.sampling import (
    PURE_SAMPLING,
    TransformersSampler,
    chat_input_ids,
    decode_shared,
    draw_per_prefix,
    lm_eval_sampling,
    load_sampler,
    prompt_cache,
    sample_records,
    sample_texts,
    stable_seed,
    stop_and_pad_ids,
)
from gapo.standin import build_model
from gapo.vllm_sampling import VLLM_LORA_RANKS, adapter_rank, has_vllm, max_lora_rank

# vLLM lives in its own environment (its torch and transformers pins differ from the project's)
VLLM_PYTHON = os.environ.get("GAPO_VLLM_PYTHON", sys.executable)
HAS_VLLM = has_vllm(VLLM_PYTHON)
HAS_CUDA = torch.cuda.is_available()
# on vLLM's CPU build, gpu_memory_utilization is the share of host memory its KV cache takes
VLLM_OPTIONS = {"python": VLLM_PYTHON, "gpu_memory_utilization": 0.85 if HAS_CUDA else 0.1}
if not HAS_CUDA:
    # vLLM's CPU build fails a seeded request whose prompt is split over two steps ("CPU Generator does not use
    # offset"): a step budget of 256 sequences x the tiny model's 128 positions never splits one
    VLLM_OPTIONS["engine_args"] = {"max_num_batched_tokens": 256 * 128}
RECORD_KEYS = {"id", "topic", "temperature", "sample", "completion", "answer"}


def save_adapter(model_dir, out, r: int, rank_pattern: dict | None = None):
    model, _ = load_policy(str(model_dir))
    config = LoraConfig(r=r, lora_alpha=2 * r, target_modules="all-linear", rank_pattern=rank_pattern or {})
    get_peft_model(model, config).save_pretrained(out)
    return out


def test_records_have_one_row_per_sample_with_the_parsed_answer(tiny_model_dir, world):
    prompts = eval_lists(world, world.heldout_topics, 1, 4, "test")
    sampler = TransformersSampler(*load_policy(str(tiny_model_dir)))
    records = sample_records(sampler, prompts, 5, [0.7, 1.0], 3, 0)
    assert len(records) == len(prompts) * 2 * 5
    assert all(set(r) == RECORD_KEYS for r in records)
    by_id = {p["id"]: p for p in prompts}
    assert all(r["answer"] is None or r["answer"] in by_id[r["id"]]["valid"] for r in records)
    assert records == sample_records(sampler, prompts, 5, [0.7, 1.0], 3, 0)


def test_adapter_rank_is_read_from_the_adapter(tiny_model_dir, tmp_path):
    assert adapter_rank(save_adapter(tiny_model_dir, tmp_path / "r2", 2)) == 2
    pattern = save_adapter(tiny_model_dir, tmp_path / "pattern", 4, {"q_proj": 24})
    assert adapter_rank(pattern) == 24
    assert json.loads((pattern / "adapter_config.json").read_text())["r"] == 4
    with pytest.raises(FileNotFoundError, match=r"no adapter_config\.json"):
        adapter_rank(tmp_path)


def test_max_lora_rank_is_the_smallest_rank_vllm_accepts():
    assert [max_lora_rank(r) for r in (1, 2, 8, 9, 64, 300, 512)] == [1, 8, 8, 16, 64, 320, 512]
    assert all(max_lora_rank(r) in VLLM_LORA_RANKS for r in range(1, 513))
    with pytest.raises(ValueError, match="above vLLM's largest"):
        max_lora_rank(513)


@pytest.mark.skipif(has_vllm(sys.executable), reason="vLLM is installed here: the missing-backend message cannot show")
def test_the_vllm_backend_without_vllm_says_how_to_install_it(tiny_model_dir):
    with pytest.raises(ImportError, match=r"cannot import vLLM.*compute\.vllm\.python"):
        load_sampler("vllm", str(tiny_model_dir), None)


def test_the_vllm_backend_refuses_a_float32_adapter_before_starting(tiny_model_dir, tmp_path):
    # vLLM's LoRA kernels take 16-bit weights only: an H200 run failed an assertion deep in the engine
    adapter = save_adapter(tiny_model_dir, tmp_path / "adapter", 8)
    with pytest.raises(ValueError, match=r"only in bfloat16 or float16 .*not float32"):
        load_sampler("vllm", str(tiny_model_dir), str(adapter), dtype="float32")


def test_the_vllm_backend_refuses_engine_args_it_sets_itself(tiny_model_dir):
    with pytest.raises(ValueError, match=r"engine_args \['dtype', 'seed'\] are set by the sampler"):
        load_sampler("vllm", str(tiny_model_dir), None, vllm_options={"engine_args": {"seed": 1, "dtype": "half"}})


@pytest.fixture(scope="module")
def vllm_model_dir(tiny_model_dir, tiny_arch, tmp_path_factory):
    """The tiny model with one 32-wide attention head (vLLM's CPU attention takes no narrower head) and
    embeddings 30 times their initial scale: at init the tied output layer spans about one nat, too
    little for any adapter to make the model sure of an answer."""
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    out = tmp_path_factory.mktemp("vllm_model")
    model = build_model(tokenizer, dataclasses.replace(tiny_arch, num_attention_heads=1), seed=0)
    with torch.no_grad():
        model.get_input_embeddings().weight.mul_(30)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def save_taught_adapter(model_dir, out, prompts: list[dict], answer: str):
    """An adapter taught to answer `answer` to every prompt (40 Adam steps): whoever serves it says that."""
    model, tokenizer = load_policy(str(model_dir))
    torch.manual_seed(0)  # LoRA's A matrices start random
    peft_model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, target_modules="all-linear"))
    target = tokenizer(answer, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    rows = [chat_input_ids(tokenizer, p["prompt"])[0].tolist() for p in prompts]
    batch = [(torch.tensor([ids + target]), len(ids)) for ids in rows]
    optimizer = torch.optim.Adam([w for w in peft_model.parameters() if w.requires_grad], lr=1e-2)
    for _ in range(40):
        optimizer.zero_grad()
        for ids, start in batch:
            logits = peft_model(input_ids=ids).logits[0, start - 1 : -1]
            torch.nn.functional.cross_entropy(logits, ids[0, start:]).backward()
        optimizer.step()
    peft_model.save_pretrained(out)
    return out


@pytest.mark.skipif(not HAS_VLLM, reason="needs vLLM (its GPU or its CPU build) in this python or in $GAPO_VLLM_PYTHON")
def test_vllm_gives_the_transformers_schema_and_serves_the_adapter(vllm_model_dir, tmp_path, world):
    base = str(vllm_model_dir)
    prompts = eval_lists(world, world.heldout_topics, 2, 4, "test") + eval_lists(world, world.train_topics, 2, 6, "t")
    answer = prompts[0]["valid"][0]
    adapter = str(save_taught_adapter(vllm_model_dir, tmp_path / "adapter", prompts, answer))

    def says_answer(records: list[dict]) -> float:
        return sum(r["completion"] == answer for r in records) / len(records)

    reference = sample_records(TransformersSampler(*load_policy(base, adapter, "bfloat16")), prompts, 8, [1.0], 3, 0)
    vllm = load_sampler("vllm", base, adapter, dtype="bfloat16", seed=0, vllm_options=VLLM_OPTIONS)
    records = sample_records(vllm, prompts, 8, [1.0], 3, 0)
    assert [(r["id"], r["temperature"], r["sample"]) for r in records] == [
        (r["id"], r["temperature"], r["sample"]) for r in reference
    ]
    assert all(set(r) == RECORD_KEYS for r in records)
    untaught = sample_records(TransformersSampler(*load_policy(base, None, "bfloat16")), prompts, 8, [1.0], 3, 0)
    assert says_answer(untaught) < 0.2 < 0.9 < says_answer(reference)  # the adapter is what says it ...
    assert says_answer(records) > 0.9  # ... and vLLM serves it
    assert records == sample_records(vllm, prompts, 8, [1.0], 3, 0)  # per-request seeds: reproducible


def test_the_shared_prompt_cache_changes_no_completion(tiny_model_dir, world):
    # near-greedy sampling: batches that share one prompt cache agree with one row at a time
    model, tok = load_policy(str(tiny_model_dir))
    prompts = eval_lists(world, world.heldout_topics, 2, 4, "test") + eval_lists(world, world.train_topics, 1, 6, "t")
    records = {b: sample_records(TransformersSampler(model, tok, b), prompts, 6, [0.01], 3, 0) for b in (1, 4, 64)}
    assert records[1] == records[4] == records[64]


def test_a_model_s_own_sampling_defaults_change_no_completion(tiny_model_dir, tmp_path, world):
    # generate() fills every setting a caller leaves unset from the model's generation_config;
    # Qwen2.5-Instruct ships a repetition penalty that would penalise the list items in the prompt
    shipped = tmp_path / "shipped"
    shutil.copytree(tiny_model_dir, shipped)
    config = GenerationConfig.from_pretrained(tiny_model_dir)
    config.update(do_sample=True, repetition_penalty=3.0, min_p=0.2, top_k=2, top_p=0.5, no_repeat_ngram_size=1)
    config.save_pretrained(shipped)
    prompt = eval_lists(world, world.heldout_topics, 1, 8, "test")[0]["prompt"]
    plain, with_defaults = (load_policy(str(d)) for d in (tiny_model_dir, shipped))
    assert with_defaults[0].generation_config.repetition_penalty in (None, 1.0)
    for temperature in (0.7, 1.0):
        texts = [sample_texts(m, t, prompt, 64, temperature, 4, seed=3) for m, t in (plain, with_defaults)]
        assert texts[0] == texts[1]
    greedy = [m.generate(**t(["pick one"], return_tensors="pt"), max_new_tokens=4, do_sample=False).tolist()
              for m, t in (plain, with_defaults)]  # fmt: skip
    assert greedy[0] == greedy[1]  # greedy accuracy (lm-eval's default decoding) too


def test_lm_eval_samples_with_the_same_complete_settings():
    parsed = simple_parse_args_string(lm_eval_sampling(0.7))
    assert parsed == {**PURE_SAMPLING, "temperature": 0.7}
    assert {type(v) for v in parsed.values()} == {bool, int, float}  # typed as generate() wants them


def decode_without_sharing(model, ids, rows, temperature, max_new_tokens, eos_ids, pad_id):
    """The reference: each step every distinct unfinished prefix is read whole, prompt and all, with
    no cache; the prefixes in lexicographic order each draw their rows at once (`draw_per_prefix`)."""
    prompt = ids[0].tolist()
    drawn: list[tuple[int, ...]] = [()] * rows
    ended = [False] * rows
    for _ in range(max_new_tokens):
        live = [r for r in range(rows) if not ended[r]]
        if not live:
            break
        prefixes = sorted({drawn[r] for r in live})
        logits = model(torch.tensor([prompt + list(p) for p in prefixes])).logits[:, -1].float()
        probs = torch.softmax(logits / temperature if temperature != 1.0 else logits, dim=-1)
        tokens = draw_per_prefix(probs, torch.tensor([prefixes.index(drawn[r]) for r in live]))
        for r, token in zip(live, tokens.tolist(), strict=True):
            drawn[r] += (token,)
            ended[r] = token in eos_ids
    width = max(map(len, drawn))
    return torch.tensor([list(d) + [pad_id] * (width - len(d)) for d in drawn])


def peaked_model_with_many_stops(tiny_model_dir):
    """The tiny model made as peaked as a trained one (rows share their first tokens), with a sixth
    of its vocabulary ending a sample (rows finish at different steps)."""
    model, tok = load_policy(str(tiny_model_dir))
    with torch.no_grad():
        model.model.norm.weight.mul_(10)
    model.generation_config.eos_token_id = [tok.eos_token_id, *range(40, 100)]
    return model, tok


def test_shared_decoding_draws_what_decoding_every_prefix_whole_draws(tiny_model_dir, world):
    # rows that share a prefix share its decoding and finished rows drop out, yet every sample is
    # the one that reading each prefix whole, without a cache, draws from the same random stream
    # (the two paths' probabilities agree to float rounding, about 1e-7 here, so a uniform number
    # lands between them about once in millions of draws)
    model, tok = peaked_model_with_many_stops(tiny_model_dir)
    prompts = eval_lists(world, world.heldout_topics, 2, 8, "test")
    eos_ids, pad_id = stop_and_pad_ids(model, tok)
    shared_rows = finished_early = 0
    for prompt in prompts:
        ids = chat_input_ids(tok, prompt["prompt"])
        prefix = prompt_cache(model, ids, torch.ones_like(ids))
        for temperature in (0.3, 1.0):
            torch.manual_seed(stable_seed(5, 0))
            with torch.no_grad():
                reference = decode_without_sharing(model, ids, 48, temperature, 8, eos_ids, pad_id)
            torch.manual_seed(stable_seed(5, 0))
            shared = decode_shared(model, ids, prefix, 48, temperature, 8, eos_ids, pad_id)
            assert shared.tolist() == reference.tolist()
            assert sample_texts(model, tok, prompt["prompt"], 48, temperature, 8, seed=5) == [
                t.strip() for t in tok.batch_decode(reference, skip_special_tokens=True)
            ]
            shared_rows += len({tuple(r[:2]) for r in reference.tolist()}) < 48
            finished_early += bool(torch.isin(reference[:, :-1], torch.tensor(eos_ids)).any())
    assert shared_rows and finished_early, (shared_rows, finished_early)  # both shortcuts were taken


def assert_drawn_from(counts: torch.Tensor, probs: torch.Tensor) -> None:
    """Counts of a multinomial draw from `probs`: every token expected at least 5 times, and the
    rest pooled (as a chi-square test bins them), within 4.5 standard deviations of its expectation."""
    n = counts.sum()
    common = n * probs >= 5
    counts = torch.cat([counts[common], counts[~common].sum()[None]])
    probs = torch.cat([probs[common], probs[~common].sum()[None]])
    spread = (n * probs * (1 - probs)).sqrt()
    assert ((counts - n * probs).abs() <= 4.5 * spread + 1).all(), (counts, n * probs)


def test_each_prefix_draws_its_rows_independently_from_its_own_distribution():
    torch.manual_seed(0)
    probs = torch.tensor([[0.5, 0.3, 0.0, 0.2, 0.0], [0.0, 0.0, 0.1, 0.0, 0.9], [0.0, 0.0, 0.0, 1.0, 0.0]])
    # 20,000 rows of prefix 0 and 9,999 of prefix 1, interleaved, and one row of prefix 2
    prefix_of_row = torch.tensor([0, 1] * 9_999 + [0] * 10_001 + [2])[torch.randperm(30_000)]
    drawn = draw_per_prefix(probs, prefix_of_row)
    for prefix in range(3):
        counts = torch.bincount(drawn[prefix_of_row == prefix], minlength=5).double()
        assert counts[probs[prefix] == 0].sum() == 0  # never a token of probability 0
        assert_drawn_from(counts, probs[prefix].double())
    # independent rows: the pairs of consecutive prefix-0 rows follow the product distribution
    rows = drawn[prefix_of_row == 0]
    pairs = torch.bincount(rows[:-1:2] * 5 + rows[1::2], minlength=25).double()
    assert_drawn_from(pairs, torch.outer(probs[0], probs[0]).flatten().double())


@torch.no_grad()
def test_shared_decoding_samples_the_model_s_own_distribution(tiny_model_dir, world):
    # the first token and the second after the commonest first follow the model's softmax
    model, tok = peaked_model_with_many_stops(tiny_model_dir)
    eos_ids, pad_id = stop_and_pad_ids(model, tok)
    prompt = eval_lists(world, world.heldout_topics, 1, 8, "test")[0]["prompt"]
    ids = chat_input_ids(tok, prompt)
    prefix = prompt_cache(model, ids, torch.ones_like(ids))
    for temperature in (0.7, 1.0):
        torch.manual_seed(11)
        drawn = decode_shared(model, ids, prefix, 4_000, temperature, 2, eos_ids, pad_id)

        def exact(prefix_ids, temperature=temperature):
            return torch.softmax(model(prefix_ids).logits[0, -1].double() / temperature, dim=-1)

        vocab = model.config.vocab_size
        first = torch.bincount(drawn[:, 0], minlength=vocab).double()
        assert (first > 0).sum() >= 5  # a spread to test, not one token
        assert_drawn_from(first, exact(ids))
        top = int(first.argmax())
        assert top not in eos_ids, "the commonest first token ends the sample: no second token to test"
        second = torch.bincount(drawn[drawn[:, 0] == top, 1], minlength=vocab).double()
        assert_drawn_from(second, exact(torch.cat([ids, torch.tensor([[top]])], dim=1)))
