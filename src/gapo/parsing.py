"""From a model's completion to one valid answer, or None (NV: "not valid")."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import Any

from gapo.open_set import ALIASES


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


_ALIASES = {normalise(alias): normalise(answer) for alias, answer in ALIASES.items()}


def _number_forms(norm: str) -> set[str]:
    """Plural and singular spellings of an answer ("raspberries", "a bongo" for "bongos")."""
    forms = {norm + "s", norm + "es"}
    if norm.endswith("y"):
        forms.add(norm[:-1] + "ies")
    if norm.endswith("s") and len(norm) > 3:
        forms.add(norm[:-1])
    return forms


@lru_cache(maxsize=4096)
def _readings(valid: tuple[str, ...]) -> dict[str, str]:
    """Every normalised text read as a valid answer: the answers, their other names, and the
    plural or singular of either (never one that is itself a valid answer's text)."""
    by_norm = {normalise(v): v for v in valid}
    for alias, answer in _ALIASES.items():
        if answer in by_norm:
            by_norm.setdefault(alias, by_norm[answer])
    for norm, answer in list(by_norm.items()):
        for form in _number_forms(norm):
            by_norm.setdefault(form, answer)
    by_norm.pop("", None)
    return by_norm


def extract_choice(completion: Any, valid: Collection[str]) -> str | None:
    """The one valid answer a completion names, or None.

    A completion that is exactly a valid answer (up to case, punctuation and number: "Raspberries")
    is that answer. Otherwise the valid answers that occur in it as whole words are collected, so
    that a short frame ("I choose Mars", "My pick: the violin.") is read; an answer found only
    inside a longer one that is also found ("turtle" in "sea turtle") does not count. Another name
    of a valid answer (`gapo.open_set.ALIASES`: "USA", "grey") is read as that answer. Exactly one
    distinct answer is taken; none (a refusal, an item not in the list) or several (an ambiguous
    reply, a repeated list) count as not valid.
    """
    text = normalise(completion_text(completion))
    by_norm = _readings(tuple(valid))
    if text in by_norm:
        return by_norm[text]
    padded = f" {text} "
    found = {norm for norm in by_norm if f" {norm} " in padded}
    longest = {n for n in found if not any(n != m and f" {n} " in f" {m} " for m in found)}
    answers = {by_norm[n] for n in longest}
    return answers.pop() if len(answers) == 1 else None
