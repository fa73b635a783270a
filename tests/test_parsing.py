import pytest

from gapo.parsing import completion_text, extract_choice

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
