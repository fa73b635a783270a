import pytest
from transformers import AutoTokenizer

from gapo.model import load_policy
from gapo.sampling import sample_texts

PROMPT = [{"role": "user", "content": "pick one planet from this list : mars , venus , earth ."}]


def test_saved_tokenizer_reloads_as_the_same_word_level_tokenizer(tiny_model_dir):
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    words = ["<user>", "pick", "one", "planet", "from", "this", "list", ":", "mars", ",", "venus", ",", "earth", "."]
    text = tok.apply_chat_template(PROMPT, tokenize=False, add_generation_prompt=True)
    assert text.split() == [*words, "<assistant>"]
    ids = tok(text, add_special_tokens=False)["input_ids"]
    assert tok.convert_ids_to_tokens(ids) == [*words, "<assistant>"]
    assert tok.unk_token_id not in ids


def test_left_padding_does_not_change_the_next_token_distribution(tiny_model_dir):
    # Rotary positions: GRPO training forwards (no position ids) see what generate() saw.
    import torch

    model, tok = load_policy(str(tiny_model_dir))
    short = tok.apply_chat_template(PROMPT, add_generation_prompt=True, return_tensors="pt", return_dict=True)
    long_prompt = [{"role": "user", "content": "pick one planet from this list : mars , venus , earth , saturn ."}]
    batch = tok.apply_chat_template(
        [PROMPT, long_prompt], add_generation_prompt=True, return_tensors="pt", return_dict=True, padding=True
    )
    assert batch["attention_mask"][0, 0] == 0  # the short prompt is left-padded
    with torch.no_grad():
        alone = model(**short).logits[0, -1].log_softmax(-1)
        padded = model(**batch).logits[0, -1].log_softmax(-1)
    assert torch.allclose(alone, padded, atol=1e-5)


def test_sampling_is_deterministic_for_a_seed(tiny_model_dir):
    model, tok = load_policy(str(tiny_model_dir))
    first = sample_texts(model, tok, PROMPT, 16, 1.0, 3, seed=5)
    assert first == sample_texts(model, tok, PROMPT, 16, 1.0, 3, seed=5)
    assert first != sample_texts(model, tok, PROMPT, 16, 1.0, 3, seed=6)


def test_missing_or_wrong_model_paths_are_named(tmp_path, tiny_model_dir):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_policy(str(tmp_path / "no" / "such" / "model"))
    with pytest.raises(FileNotFoundError, match=r"no config\.json"):
        load_policy(str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r"no adapter_config\.json"):
        load_policy(str(tiny_model_dir), adapter=str(tmp_path))


def test_pretraining_sequences_are_the_ones_trl_would_build(world, tiny_arch, tmp_path):
    """tokenize_corpus replaces SFTTrainer's per-example preparation; it must build the same data."""
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    from gapo.corpus import pretraining_corpus
    from gapo.standin import build_model, build_tokenizer, corpus_texts, tokenize_corpus

    records = [r for i, r in enumerate(pretraining_corpus(world, 400, 4, 10, 0.5, 9)) if i % 5 == 0]
    tokenizer = build_tokenizer(corpus_texts(records))
    ours = tokenize_corpus(records, tokenizer)
    args = SFTConfig(output_dir=str(tmp_path), completion_only_loss=True, report_to="none", use_cpu=True)
    theirs = SFTTrainer(
        model=build_model(tokenizer, tiny_arch, seed=0),
        args=args,
        train_dataset=Dataset.from_list([{"prompt": r["prompt"], "completion": r["completion"]} for r in records]),
        processing_class=tokenizer,
    ).train_dataset
    assert len(ours) == len(theirs) == len(records)
    assert ours["input_ids"] == theirs["input_ids"]
    assert ours["labels"] == theirs["labels"]
    # The loss falls on the answer and <eos> only
    first = [t for t in ours["labels"][0] if t != -100]
    assert tokenizer.decode(first).split() == [*records[0]["completion"][0]["content"].split(), "<eos>"]


def test_membership_probe_logs_a_curve_stops_when_it_stalls_and_does_not_change_training(world, tiny_arch, tmp_path):
    """The probe only reads the model: with it, pretraining ends with the same weights; with a
    patience, it stops once the off-list mass stops improving."""
    import torch
    from safetensors.torch import load_file

    from gapo.corpus import pretraining_corpus
    from gapo.data import eval_lists
    from gapo.standin import PretrainSettings, pretrain

    records = list(pretraining_corpus(world, 600, 4, 10, 0.5, 9))
    probe = eval_lists(world, world.heldout_topics, 2, 8, "membership-probe")
    plain = pretrain(records, tiny_arch, PretrainSettings(steps=12, batch_size=8), tmp_path / "plain")
    probed = pretrain(
        records,
        tiny_arch,
        PretrainSettings(steps=12, batch_size=8, probe_every=4),
        tmp_path / "probed",
        probe_lists=probe,
    )
    assert [p["step"] for p in probed["membership_curve"]] == [4, 8, 12]
    assert all(0.0 <= p["offlist_mass"] <= 1.0 for p in probed["membership_curve"])
    assert plain["membership_curve"] == [] and plain["steps_trained"] == probed["steps_trained"] == 12
    a, b = (load_file(tmp_path / d / "model.safetensors") for d in ("plain", "probed"))
    assert all(torch.equal(a[k], b[k]) for k in a)

    # No probe can improve on the first by 2 (a mass is at most 1): the second stops training
    stalled = PretrainSettings(steps=12, batch_size=8, probe_every=4, stop_patience=1, stop_min_delta=2.0)
    stopped = pretrain(records, tiny_arch, stalled, tmp_path / "stopped", probe_lists=probe)
    assert stopped["steps_trained"] == 8 and len(stopped["membership_curve"]) == 2
    with pytest.raises(ValueError, match="no probe lists"):
        pretrain(records, tiny_arch, PretrainSettings(steps=2, batch_size=8, probe_every=1), tmp_path / "none")


def test_sorted_batches_keep_every_example_once_and_cut_padding_in_micro_batches():
    import random

    from gapo.standin import SortedBatchSampler

    rng = random.Random(0)
    lengths = [rng.choice([8, 9, 10, 30, 35, 40, 45]) for _ in range(1024)]  # short arithmetic beside long lists

    def padding(order: list[int], size: int) -> float:
        batches = [order[i : i + size] for i in range(0, len(order), size)]
        padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
        return 1 - sum(lengths) / padded

    order = list(SortedBatchSampler(lengths, 64, seed=0))
    assert sorted(order) == list(range(1024))
    assert order == list(SortedBatchSampler(lengths, 64, seed=0))  # seeded
    # Each batch is a random draw (its share of short examples near the corpus' 3/7), sorted by length
    for b in range(0, 1024, 64):
        batch = [lengths[i] for i in order[b : b + 64]]
        assert batch == sorted(batch) and 10 < sum(x <= 10 for x in batch) < 45
    assert padding(order, 32) < padding(order, 64) - 0.1  # halves pad far less than the whole batch


def test_micro_batches_take_the_same_optimiser_steps(world, tiny_arch, tmp_path):
    """Gradient accumulation over a batch's micro-batches, with the loss normalised by the batch's
    tokens, gives the whole batch's update (to float rounding)."""
    import torch
    from safetensors.torch import load_file

    from gapo.corpus import pretraining_corpus
    from gapo.standin import PretrainSettings, build_model, build_tokenizer, corpus_texts, pretrain

    records = list(pretraining_corpus(world, 400, 4, 10, 0.5, 9))
    for micro in (1, 2):
        pretrain(
            records, tiny_arch, PretrainSettings(steps=5, batch_size=16, micro_batches=micro), tmp_path / f"m{micro}"
        )
    whole, cut = (load_file(tmp_path / f"m{m}" / "model.safetensors") for m in (1, 2))
    assert all(torch.allclose(whole[k], cut[k], atol=1e-5) for k in whole)
    init = build_model(build_tokenizer(corpus_texts(records)), tiny_arch, seed=0).state_dict()
    assert any(not torch.allclose(whole[k], init[k], atol=1e-3) for k in whole)  # and the steps did move it
    with pytest.raises(ValueError, match="micro_batches = 3 does not divide batch_size = 16"):
        pretrain(records, tiny_arch, PretrainSettings(steps=1, batch_size=16, micro_batches=3), tmp_path / "bad")
