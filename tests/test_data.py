from collections import Counter

import pytest

from gapo.corpus import pretraining_corpus
from gapo.data import World, eval_lists, rl_prompts
from gapo.prompts import STANDIN
from gapo.topics import TOPICS

HELDOUT = ("planet", "instrument")


@pytest.fixture
def world():
    return World(seed=3, heldout_topics=HELDOUT)


def test_topics_are_many_and_of_the_designed_size():
    assert len(TOPICS) >= 16
    assert all(8 <= len(items) <= 20 for items in TOPICS.values())
    assert {"planet", "instrument", "country"} <= set(TOPICS)


def test_same_seed_same_data_other_seed_other_data(world):
    first = list(pretraining_corpus(world, 200, 4, 10, 0.5, 9))
    again = list(pretraining_corpus(World(seed=3, heldout_topics=HELDOUT), 200, 4, 10, 0.5, 9))
    other = list(pretraining_corpus(World(seed=4, heldout_topics=HELDOUT), 200, 4, 10, 0.5, 9))
    assert first == again
    assert first != other


def test_rl_prompts_avoid_heldout_topics_and_reserved_templates(world):
    prompts = rl_prompts(world, 500, 4, 10)
    assert {p["topic"] for p in prompts}.isdisjoint(HELDOUT)
    assert {p["template"] for p in prompts}.isdisjoint(STANDIN.reserved_list_templates)
    for p in prompts:
        text = p["prompt"][0]["content"]
        assert 4 <= len(p["valid"]) <= 10
        assert all(f" {item} " in f" {text} " for item in p["valid"])
        assert STANDIN.list_templates[p["template"]].split("{items}")[0].format(topic=p["topic"]) in text


def test_pretraining_covers_every_topic_and_answers_are_skewed_towards_popular_items(world):
    corpus = list(pretraining_corpus(world, 6000, 4, 10, 0.0, 9))
    lists = [r for r in corpus if r["task"] == "list"]
    assert {r["topic"] for r in lists} == set(TOPICS)
    for r in lists:
        assert r["completion"][0]["content"] in r["valid"]
    # the most popular planet wins far more often than the least popular one, wherever both are listed
    pop = world.popularity("planet")
    top, bottom = max(pop, key=pop.get), min(pop, key=pop.get)
    both = [r for r in lists if r["topic"] == "planet" and top in r["valid"] and bottom in r["valid"]]
    wins = Counter(r["completion"][0]["content"] for r in both)
    assert wins[top] > 5 * max(1, wins[bottom])


def test_mixed_lists_hold_distractors_that_are_not_valid(world):
    corpus = list(pretraining_corpus(world, 2000, 4, 10, 1.0, 9))
    lists = [r for r in corpus if r["task"] == "list"]
    for r in lists:
        shown = r["prompt"][0]["content"].split(":", 1)[1].rstrip(" .").split(" , ")
        assert len(shown) > len(r["valid"])
        assert r["completion"][0]["content"] in r["valid"]


def test_eval_lists_have_stable_ids_and_the_requested_size(world):
    lists = eval_lists(world, HELDOUT, 2, 8, "heldout")
    assert [r["id"] for r in lists] == ["planet-0", "planet-1", "instrument-0", "instrument-1"]
    assert all(len(r["valid"]) == 8 for r in lists)


def test_unknown_heldout_topic_is_named():
    with pytest.raises(ValueError, match="pluto"):
        World(seed=0, heldout_topics=("pluto",))
