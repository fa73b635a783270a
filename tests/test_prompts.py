"""Prompt styles: the same tasks worded for the stand-in and in natural English for a real model."""

import re

import pytest
import yaml
from snakemake.utils import validate

from gapo.data import study_sets
from gapo.parsing import extract_choice
from gapo.prompts import NATURAL, STANDIN, prompt_style
from gapo.topics import TOPICS


@pytest.fixture(scope="module")
def sets():
    config = yaml.safe_load(open("config/config.yaml"))
    validate(config, "workflow/schemas/config.schema.yaml")
    args = (config["seed"], config["world"], 200, config["evaluation"])
    return {style: study_sets(*args, style=style) for style in ("standin", "natural")}


def test_every_style_asks_the_same_lists_with_the_same_seeds(sets):
    standin, natural = sets["standin"], sets["natural"]
    for name in ("heldout_lists", "train_lists", "rl_prompts"):
        assert len(standin[name]) == len(natural[name])
        for s, n in zip(standin[name], natural[name], strict=True):
            assert (s.get("id"), s["topic"], s["template"]) == (n.get("id"), n["topic"], n["template"])
            assert sorted(NATURAL.items(s["topic"], s["valid"])) == n["valid"]
            if "data_distribution" in s:
                assert sorted(s["data_distribution"].values()) == sorted(n["data_distribution"].values())
    assert [r["answer"] for r in standin["accuracy_arithmetic"]] == [
        r["answer"] for r in natural["accuracy_arithmetic"]
    ]
    assert [r["label"] for r in standin["accuracy_mc"]] == [r["label"] for r in natural["accuracy_mc"]]


def test_natural_prompts_are_english_with_the_items_as_words(sets):
    planet = next(r for r in sets["natural"]["heldout_lists"] if r["topic"] == "planet")
    text = planet["prompt"][0]["content"]
    assert re.fullmatch(r"Choose one planet at random from this list: [A-Z][a-z]+(, [A-Z][a-z]+){7}\. Answer .*", text)
    instrument = next(r for r in sets["natural"]["heldout_lists"] if r["topic"] == "instrument")
    assert "musical instrument" in instrument["prompt"][0]["content"]
    assert NATURAL.item("dance", "hiphop") == "hip hop"  # a multi-word item
    assert sets["natural"]["open_ended"][0]["prompt"][0]["content"] == "Name a planet. Answer with the name only."
    assert all(r["answer"].isdigit() for r in sets["natural"]["accuracy_arithmetic"])


@pytest.mark.parametrize("style", [STANDIN, NATURAL])
def test_the_bias_instructions_are_reserved(sets, style):
    data = sets[style.name]
    used = {r["template"] for name in ("rl_prompts", "heldout_lists", "train_lists") for r in data[name]}
    assert used.isdisjoint(style.reserved_list_templates) and used
    bias = data["bias"]
    assert sorted(k for k in bias if k != "shuffled") == [f"instruction-{t}" for t in style.reserved_list_templates]
    for rec in bias["shuffled"]:  # the order shown is the order in the prompt
        text = rec["prompt"][0]["content"]
        assert [text.index(item) for item in rec["shown"]] == sorted(text.index(item) for item in rec["shown"])


@pytest.mark.parametrize("style", [STANDIN, NATURAL])
def test_every_item_as_written_parses_to_itself(style):
    for topic, words in TOPICS.items():
        valid = style.items(topic, words)
        for item in valid:
            assert extract_choice(item, valid) == item
            assert extract_choice(f"I choose the {item}.", valid) == item


def test_an_unknown_style_is_named():
    with pytest.raises(ValueError, match="unknown prompt style 'pirate'"):
        prompt_style("pirate")
