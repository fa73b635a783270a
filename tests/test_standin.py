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
