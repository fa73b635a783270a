"""The stand-in's pretraining corpus: skewed examples over every topic, in the stand-in's words.

The base model learns every topic and its items' popularity from it, and so comes out collapsed
as instruction-tuned LLMs are. Only the stand-in world needs it: a real model brings its own.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from dataclasses import dataclass

from gapo.data import (
    World,
    arithmetic_record,
    creative_record,
    draw_weighted,
    list_record,
    mc_record,
    open_record,
    user_prompt,
    world_from_config,
)
from gapo.prompts import STANDIN

# Phrasings under which the corpus answers uniformly over the list: a latent skill, as a pretrained
# model knows how to pick at random, that the collapsed instructions do not use. Never evaluated,
# never used as RL prompts.
UNIFORM_LIST_TEMPLATES: tuple[str, ...] = (
    "draw a {topic} uniformly from this list",
    "pick any {topic} from this list , all equally likely",
    "roll a die and pick a {topic} from this list",
)
UNIFORM = dataclasses.replace(
    STANDIN, name="standin-uniform", list_templates=tuple(f"{t} : {{items}} ." for t in UNIFORM_LIST_TEMPLATES)
)
COPY_TEMPLATE = "repeat this list"
ANY_TEMPLATE = "pick any word from this list"


def list_prompt_text(instruction: str, items: list[str]) -> str:
    return f"{instruction} : {' , '.join(items)} ."


def with_answer(record: dict, answer: str) -> dict:
    """A prompt-completion pair for supervised pretraining."""
    return {**record, "completion": [{"role": "assistant", "content": answer}]}


@dataclass(frozen=True)
class CorpusMix:
    """Shares of each kind of example in the pretraining corpus (normalised when drawn)."""

    list_selection: float = 0.55
    open_ended: float = 0.15
    mc: float = 0.1
    arithmetic: float = 0.1
    creative: float = 0.1
    # Reading curriculum (off by default): "repeat this list" (every listed item supervised, in
    # order) and "pick any word from this list" over items of random topics (uniform answer; the
    # topic prior is no help, only reading the list is).
    copy_list: float = 0.0
    any_list: float = 0.0


def topic_item_count(rng: random.Random, n: int, mixed_fraction: float) -> int:
    """How many of a list's `n` items belong to its topic: 1 to n-1 for a mixed list (drawn with
    probability `mixed_fraction`, the rest filled with other topics' items), else all `n`."""
    return rng.randint(1, n - 1) if rng.random() < mixed_fraction else n


def pretraining_corpus(
    world: World,
    n_examples: int,
    min_items: int,
    max_items: int,
    mixed_list_fraction: float,
    max_operand: int,
    mix: CorpusMix = CorpusMix(),
    uniform_list_fraction: float = 0.0,
    uniform_mixed_list_fraction: float | None = None,
    single_item_fraction: float = 0.0,
) -> Iterator[dict]:
    """Skewed examples over *all* topics: the base model learns every topic and its popularity."""
    rng = random.Random(f"{world.seed}-pretrain")
    # New kinds go last: a zero share then leaves every earlier draw unchanged.
    kinds = ["list_selection", "open_ended", "mc", "arithmetic", "creative", "copy_list", "any_list"]
    shares = [getattr(mix, k) for k in kinds]
    topics = list(world.topics)
    for _ in range(n_examples):
        kind = rng.choices(kinds, weights=shares)[0]
        topic = rng.choice(topics)
        if kind == "list_selection":
            n = rng.randint(min_items, max_items)
            # A mixed list holds few items of the topic among other topics' items: only the list
            # says which of the topic's items may be answered, which teaches list membership.
            n_topic = topic_item_count(rng, n, mixed_list_fraction)
            uniform = rng.random() < uniform_list_fraction
            if uniform and uniform_mixed_list_fraction is not None:
                n_topic = topic_item_count(rng, n, uniform_mixed_list_fraction)
            if single_item_fraction and rng.random() < single_item_fraction:
                # One item of the topic among distractors: the answer is forced, and only reading
                # the list finds it (the topic's popularity is no help).
                n_topic = 1
            n, distractors = n_topic, min(n - n_topic, len(world.topics) - 1)
            if uniform:
                template = rng.randrange(len(UNIFORM_LIST_TEMPLATES))
                rec = list_record(world, rng, topic, n, template, distractors, UNIFORM)
                yield with_answer(rec | {"template": f"uniform-{template}"}, rng.choice(rec["valid"]))
                continue
            rec = list_record(world, rng, topic, n, rng.randrange(len(STANDIN.list_templates)), distractors)
            yield with_answer(rec, draw_weighted(rng, world.answer_distribution(topic, rec["valid"])))
        elif kind == "open_ended":
            rec = open_record(world, topic, rng.randrange(len(STANDIN.open_templates)))
            yield with_answer(rec, draw_weighted(rng, world.answer_distribution(topic, rec["valid"])))
        elif kind == "mc":
            rec = mc_record(world, rng, topic)
            yield with_answer(rec, rec["answer"])
        elif kind == "arithmetic":
            rec = arithmetic_record(rng, max_operand)
            yield with_answer(rec, rec["answer"])
        elif kind in ("copy_list", "any_list"):
            n = rng.randint(min_items, max_items)
            items = [rng.choice(world.topics[t]) for t in rng.sample(topics, n)]
            if kind == "copy_list":
                rec = {"task": "copy", "topic": None, "prompt": user_prompt(list_prompt_text(COPY_TEMPLATE, items))}
                yield with_answer(rec, " , ".join(items))
            else:
                rec = {"task": "any", "topic": None, "prompt": user_prompt(list_prompt_text(ANY_TEMPLATE, items))}
                yield with_answer(rec | {"valid": sorted(items)}, rng.choice(items))
        else:
            template = rng.randrange(len(STANDIN.creative_templates))
            rec = creative_record(rng, world.seed, world.popularity_exponent, template)
            yield with_answer(rec, rec["answer"])


def corpus_from_config(seed: int, world_cfg: dict, corpus_size: int) -> Iterator[dict]:
    """The stand-in's pretraining corpus from the config's `world` section."""
    lo, hi = world_cfg["list_items"]
    return pretraining_corpus(
        world_from_config(seed, world_cfg),
        corpus_size,
        lo,
        hi,
        world_cfg["mixed_list_fraction"],
        world_cfg["max_operand"],
        uniform_list_fraction=world_cfg["uniform_list_fraction"],
    )
