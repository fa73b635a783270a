"""From a model's completion to one valid answer, or None (NV: "not valid")."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any


def completion_text(completion: Any) -> str:
    """The text of a completion, whether TRL passes it as a string or as a list of chat messages."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Sequence) and all(isinstance(m, dict) and "content" in m for m in completion):
        return " ".join(str(m["content"]) for m in completion)
    raise TypeError(f"unparsable completion {completion!r}: expected a string or a list of chat messages")


def normalise(text: str) -> str:
    """Lower case, words of letters and digits only, single spaces."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def extract_choice(completion: Any, valid: Collection[str]) -> str | None:
    """The one valid answer a completion names, or None.

    A completion that is exactly a valid answer (up to case and punctuation) is that answer.
    Otherwise the valid answers that occur in it as whole words are collected, so that a short
    frame ("I choose Mars", "My pick: the violin.") is read; an answer found only inside a longer
    one that is also found ("turtle" in "sea turtle") does not count. Exactly one distinct answer
    is taken; none (a refusal, an item not in the list) or several (an ambiguous reply, a repeated
    list) count as not valid.
    """
    text = normalise(completion_text(completion))
    by_norm = {normalise(v): v for v in valid}
    if text in by_norm:
        return by_norm[text]
    padded = f" {text} "
    found = {norm for norm in by_norm if norm and f" {norm} " in padded}
    longest = {n for n in found if not any(n != m and f" {n} " in f" {m} " for m in found)}
    return by_norm[longest.pop()] if len(longest) == 1 else None
