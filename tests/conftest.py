"""Shared fixtures: a tiny real stand-in model (tokenizer + Qwen3), built in seconds."""

from pathlib import Path

import pytest

from gapo.corpus import pretraining_corpus
from gapo.data import World
from gapo.standin import StandinArchitecture, build_model, build_tokenizer, corpus_texts

TINY = StandinArchitecture(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2)


@pytest.fixture(scope="session")
def world() -> World:
    return World(seed=0, heldout_topics=("planet", "instrument"))


@pytest.fixture(scope="session")
def tiny_arch() -> StandinArchitecture:
    return TINY


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, world) -> Path:
    """An untrained tiny stand-in model saved as a transformers model directory."""
    corpus = list(pretraining_corpus(world, 3000, 4, 10, 0.5, 9))
    tokenizer = build_tokenizer(corpus_texts(corpus))
    model = build_model(tokenizer, TINY, seed=0)
    out = tmp_path_factory.mktemp("tiny_model")
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out
