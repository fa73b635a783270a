"""How the study's tasks are worded for a model: its prompt style.

The tasks (which topic, which items in which order, which answers are valid) come from
`gapo.data` and are the same for every model; a style only words them. The stand-in reads the
word-level phrasings its corpus was written in ("pick one planet from this list : mars , venus
."); a real instruction-tuned model reads natural English ("Choose one planet at random from this
list: Mars, Venus. ..."), with items written as English words. In every style the last two list
instructions are reserved for the bias analysis (Fig. 2a): RL never trains on them and the
evaluation lists never use them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gapo.open_set import OPEN_SET

LOWER_IN_NAMES = frozenset({"and", "of", "the"})  # "Bosnia and Herzegovina"


@dataclass(frozen=True)
class PromptStyle:
    name: str
    list_templates: tuple[str, ...]  # "{topic}", "{a_topic}" and "{items}"
    open_templates: tuple[str, ...]
    mc_template: str  # "{topic}", "{a_topic}" and "{options}"
    arithmetic_templates: Mapping[str, str]  # by operation: "{a}" and "{b}"
    creative_templates: tuple[str, ...]
    separator: str = ", "
    topic_nouns: Mapping[str, str] = field(default_factory=dict)  # a topic's name in prose
    item_names: Mapping[str, str] = field(default_factory=dict)  # an item's name when not its word
    capitalised_topics: frozenset[str] = frozenset()  # topics of proper names
    # Further answers valid for an open-ended prompt, by topic (a real model names more than the
    # study's items: gapo.open_set); the stand-in can only name the items it was taught.
    open_lexicons: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @property
    def reserved_list_templates(self) -> tuple[int, ...]:
        """The two instructions of the bias analysis (Fig. 2a)."""
        return (len(self.list_templates) - 2, len(self.list_templates) - 1)

    @property
    def unreserved_list_templates(self) -> tuple[int, ...]:
        """The instructions RL prompts and evaluation lists draw from."""
        return tuple(i for i in range(len(self.list_templates)) if i not in self.reserved_list_templates)

    def topic(self, topic: str) -> str:
        return self.topic_nouns.get(topic, topic)

    def item(self, topic: str, word: str) -> str:
        """An item as this style writes it (and as its answers are scored)."""
        name = self.item_names.get(word, word)
        if topic not in self.capitalised_topics:
            return name
        return " ".join(w if w in LOWER_IN_NAMES else w[0].upper() + w[1:] for w in name.split(" "))

    def open_answers(self, topic: str, items: Sequence[str]) -> list[str]:
        """The answers valid for an open-ended prompt on `topic`: its `items` and its lexicon."""
        return sorted(set(self.items(topic, [*items, *self.open_lexicons.get(topic, ())])))

    def items(self, topic: str, words: Sequence[str]) -> list[str]:
        return [self.item(topic, w) for w in words]

    def fill(self, template: str, topic: str, **values: str) -> str:
        noun = self.topic(topic)
        return template.format(topic=noun, a_topic=with_article(noun), **values)

    def list_text(self, template: int, topic: str, shown: Sequence[str]) -> str:
        """A list-selection instruction over the items `shown` (already in this style's words)."""
        return self.fill(self.list_templates[template], topic, items=self.separator.join(shown))


def with_article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


# The stand-in's corpus phrasings (gapo.corpus writes its pretraining examples in them).
STANDIN = PromptStyle(
    name="standin",
    list_templates=tuple(
        f"{instruction} : {{items}} ."
        for instruction in (
            "pick one {topic} from this list",
            "choose a {topic} from the following",
            "name one {topic} from these options",
            "select a random {topic} from this list",
            "which {topic} would you pick from this list",
            "give me one {topic} from the list",
        )
    ),
    open_templates=("name a {topic}", "tell me any {topic}", "say one {topic}"),
    mc_template="which of these is a {topic} ? {options}",
    arithmetic_templates={"plus": "what is {a} plus {b} ?", "minus": "what is {a} minus {b} ?"},
    creative_templates=("write a short story", "tell me a tiny tale", "invent a story"),
    separator=" , ",
)

# Natural English for instruction-tuned models, in the paper's phrasing ("choose one at random").
NATURAL = PromptStyle(
    name="natural",
    list_templates=(
        "Choose one {topic} at random from this list: {items}. Answer with the {topic} only.",
        "Pick a {topic} at random from the following list: {items}. Reply with its name only.",
        "Here is a list: {items}. Choose one {topic} from it at random and answer with just its name.",
        "Select one {topic} at random from these options: {items}. Respond with the name only.",
        # reserved for the bias analysis (Fig. 2a)
        "Choose a random {topic} from the following list: {items}. Reply with the name only.",
        "Pick one {topic} at random from this list and answer with its name only: {items}.",
    ),
    open_templates=(
        "Name {a_topic}. Answer with the name only.",
        "Tell me any {topic}. Reply with its name only.",
        "Say one {topic}, just the name.",
    ),
    mc_template="Which of these is {a_topic}: {options}? Answer with the option only.",
    arithmetic_templates={
        "plus": "What is {a} plus {b}? Answer with the number only.",
        "minus": "What is {a} minus {b}? Answer with the number only.",
    },
    creative_templates=(
        "Write a short story in one sentence.",
        "Tell me a tiny tale in one sentence.",
        "Invent a story and tell it in one sentence.",
    ),
    topic_nouns={
        "instrument": "musical instrument",
        "furniture": "piece of furniture",
        "clothing": "piece of clothing",
        "profession": "job",
    },
    item_names={"hiphop": "hip hop"},
    capitalised_topics=frozenset({"planet", "country", "city", "language"}),
    open_lexicons=OPEN_SET,
)

STYLES: dict[str, PromptStyle] = {s.name: s for s in (STANDIN, NATURAL)}


def prompt_style(name: str) -> PromptStyle:
    if name not in STYLES:
        raise ValueError(f"unknown prompt style {name!r}; known: {sorted(STYLES)}")
    return STYLES[name]


def model_prompt_style(entry: Mapping[str, Any]) -> str:
    """The prompt style of a model's config entry: its `prompt_style`, else the stand-in's corpus
    words for the stand-in and natural English for a real model."""
    return entry.get("prompt_style") or ("standin" if entry["source"] == "standin" else "natural")
