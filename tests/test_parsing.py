import json
from pathlib import Path

import pytest

from gapo.parsing import completion_text, extract_choice

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
