import json
from pathlib import Path

import pytest

from gapo.data import open_record
from gapo.parsing import completion_text, extract_choice
from gapo.prompts import NATURAL, STANDIN
from gapo.topics import TOPICS

# Completions of SmolLM2-135M-Instruct (T=0.7, 12 new tokens, natural prompts of the held-out,
# training, open-ended and bias sets), each with the answer a reader takes from it.
REAL = [json.loads(line) for line in (Path(__file__).parent / "data/smollm2_completions.jsonl").open()]

VALID = ["mars", "venus", "earth"]


@pytest.mark.parametrize(
    ("completion", "expected"),
    [
        ("mars", "mars"),
        ("  Mars. ", "mars"),
        ("I would pick venus from the list", "venus"),
        ("earth earth", "earth"),
        ("mars or venus", None),  # ambiguous
        ("pluto", None),
        ("", None),
        ("marsupial", None),  # whole words only
        ([{"role": "assistant", "content": "Venus!"}], "venus"),
    ],
)
def test_extract_choice(completion, expected):
    assert extract_choice(completion, VALID) == expected


def test_unparsable_completion_is_named():
    with pytest.raises(TypeError, match="unparsable completion"):
        completion_text(42)


@pytest.mark.parametrize(
    ("completion", "expected"),
    [
        ("The violin.", "violin"),  # case, punctuation, an article
        ("I choose Mars", "Mars"),  # a short frame
        ("My pick: Mars!", "Mars"),
        ("Hip-hop, definitely.", "hip hop"),  # a multi-word item, however it is hyphenated
        ("The sea turtle.", "sea turtle"),  # not also "turtle", which it contains
        ("A turtle and a violin", None),  # several distinct items
        ("Mars, violin, hip hop", None),  # the list repeated
        ("I'm sorry, I cannot choose for you.", None),  # a refusal
        ("Pluto", None),  # an item not in the list
    ],
)
def test_free_text_answers(completion, expected):
    assert extract_choice(completion, ["Mars", "violin", "hip hop", "sea turtle", "turtle"]) == expected


def test_real_smollm2_completions_parse_as_a_reader_takes_them():
    assert len(REAL) >= 40
    assert sum(r["expected"] is None for r in REAL) >= 10 and sum(r["expected"] is not None for r in REAL) >= 10
    for r in REAL:
        assert extract_choice(r["completion"], r["valid"]) == r["expected"], r["completion"]


# Completions of SmolLM2-135M-Instruct after no RL, GRPO and GAPO (seed 1, T=0.7, 12 new tokens) to
# "Name {a topic}. Answer with the name only.", each with the answer a reader takes from it.
REAL_OPEN = [json.loads(line) for line in (Path(__file__).parent / "data/smollm2_open_completions.jsonl").open()]


def test_real_open_ended_completions_parse_against_the_topic_s_lexicon():
    assert len(REAL_OPEN) >= 40
    assert sum(r["expected"] is None for r in REAL_OPEN) >= 10
    assert sum(r["expected"] not in (None, *TOPICS[r["topic"]]) for r in REAL_OPEN) >= 10  # beyond the study's items
    for r in REAL_OPEN:
        valid = NATURAL.open_answers(r["topic"], TOPICS[r["topic"]])
        assert extract_choice(r["completion"], valid) == r["expected"], r["completion"]


@pytest.mark.parametrize(
    ("completion", "expected"),
    [
        ("Raspberries", "raspberry"),  # a plural
        ("A bongo.", "bongos"),  # a singular
        ("USA", "United States"),  # another name
        ("the United States of America", "United States"),  # not also "United States" inside it
        ("Grey", "gray"),
        ("USA or France", None),  # still two answers
        ("Canada", None),  # not valid here
    ],
)
def test_plurals_and_other_names_read_as_the_answer(completion, expected):
    valid = ["raspberry", "bongos", "United States", "gray", "France"]
    assert extract_choice(completion, valid) == expected


def test_another_name_counts_only_where_its_answer_is_valid():
    assert extract_choice("USA", ["France", "Spain"]) is None
    assert extract_choice("grey", ["red", "blue"]) is None


def test_open_prompts_of_a_real_model_accept_the_lexicon_and_the_stand_in_s_only_its_items(world):
    natural = open_record(world, "animal", 0, NATURAL)["valid"]
    assert {"goat", "octopus", "dog"} <= set(natural) and len(natural) > 100
    assert open_record(world, "animal", 0, STANDIN)["valid"] == sorted(world.topics["animal"])
    country = open_record(world, "country", 0, NATURAL)["valid"]
    assert "Bosnia and Herzegovina" in country and "France" in country  # proper names, capitalised
