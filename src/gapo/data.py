"""The study's tasks: topics, their held-out split, and the seeded prompt sets built on them.

RL prompts, evaluation lists, open-ended, creative, bias (Fig. 2) and accuracy sets, each worded by
a model's prompt style (`gapo.prompts`): the same topics, items and seeds in every style. Every
record is a dict that serialises to one JSONL line; prompts are conversational
(`[{"role": "user", "content": ...}]`) so that a chat template turns them into model input. The
stand-in's pretraining corpus is `gapo.corpus`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gapo.prompts import STANDIN, PromptStyle, prompt_style
from gapo.topics import TOPICS

# Creative stand-in: a sentence "the <adjective> <character> <verb> in the <place> ." with skewed slots.
CREATIVE_SLOTS: dict[str, tuple[str, ...]] = {
    "adjective": ("brave", "little", "old", "happy", "quiet", "clever", "lonely", "tiny", "proud", "sleepy"),
    "character": ("knight", "princess", "robot", "wizard", "dragon", "pirate", "giant", "witch", "king", "child"),
    "verb": ("sang", "danced", "slept", "laughed", "waited", "wandered", "cried", "dreamed", "hid", "played"),
    "place": ("forest", "castle", "village", "mountain", "desert", "river", "garden", "ocean", "island", "cave"),
}


def user_prompt(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


@dataclass(frozen=True)
class World:
    """The topics, their split, and each item's popularity: the source of the base model's bias."""

    seed: int
    heldout_topics: tuple[str, ...]
    popularity_exponent: float = 3.0
    popularity_floor: float = 0.0
    topics: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(TOPICS))

    def __post_init__(self) -> None:
        unknown = sorted(set(self.heldout_topics) - set(self.topics))
        if unknown:
            raise ValueError(f"held-out topics {unknown} are not topics; known: {sorted(self.topics)}")

    @property
    def train_topics(self) -> tuple[str, ...]:
        return tuple(t for t in self.topics if t not in self.heldout_topics)

    def popularity(self, topic: str) -> dict[str, float]:
        """Zipf-like weights 1/rank^s + floor over a seeded ranking of the topic's items (not normalised)."""
        items = list(self.topics[topic])
        random.Random(f"{self.seed}-popularity-{topic}").shuffle(items)
        return {
            item: 1.0 / (rank + 1) ** self.popularity_exponent + self.popularity_floor
            for rank, item in enumerate(items)
        }

    def answer_distribution(self, topic: str, items: Sequence[str]) -> dict[str, float]:
        """The distribution the corpus draws an answer from, restricted to `items` of `topic`."""
        weights = self.popularity(topic)
        on_list = {item: weights[item] for item in items if item in weights}
        total = sum(on_list.values())
        return {item: w / total for item, w in on_list.items()}


def draw_weighted(rng: random.Random, distribution: dict[str, float]) -> str:
    items = list(distribution)
    return rng.choices(items, weights=[distribution[i] for i in items])[0]


def list_record(
    world: World,
    rng: random.Random,
    topic: str,
    n_items: int,
    template: int,
    n_distractors: int = 0,
    style: PromptStyle = STANDIN,
) -> dict:
    """One list-selection prompt: `n_items` of `topic` (plus distractors of other topics), shuffled,
    worded by `style`; `valid` holds the topic's items as the style writes them."""
    items = rng.sample(world.topics[topic], min(n_items, len(world.topics[topic])))
    others = [t for t in world.topics if t != topic]
    distractors = [(rng.choice(world.topics[t]), t) for t in rng.sample(others, n_distractors)]
    shown = [(item, topic) for item in items] + distractors
    rng.shuffle(shown)
    return {
        "task": "list",
        "topic": topic,
        "template": template,
        "prompt": user_prompt(style.list_text(template, topic, [style.item(t, w) for w, t in shown])),
        "valid": sorted(style.items(topic, items)),
    }


def open_record(world: World, topic: str, template: int, style: PromptStyle = STANDIN) -> dict:
    return {
        "task": "open",
        "topic": topic,
        "template": template,
        "prompt": user_prompt(style.fill(style.open_templates[template], topic)),
        "valid": style.open_answers(topic, world.topics[topic]),
    }


def mc_record(world: World, rng: random.Random, topic: str, style: PromptStyle = STANDIN) -> dict:
    answer = rng.choice(world.topics[topic])
    others = rng.sample([t for t in world.topics if t != topic], 3)
    options = [(answer, topic)] + [(rng.choice(world.topics[t]), t) for t in others]
    rng.shuffle(options)
    words = [style.item(t, w) for w, t in options]
    return {
        "task": "mc",
        "topic": topic,
        "prompt": user_prompt(style.fill(style.mc_template, topic, options=style.separator.join(words))),
        "choices": words,
        "label": options.index((answer, topic)),
        "answer": style.item(topic, answer),
    }


def arithmetic_record(rng: random.Random, max_operand: int, style: PromptStyle = STANDIN) -> dict:
    op = rng.choice(sorted(style.arithmetic_templates))
    a, b = rng.randint(0, max_operand), rng.randint(0, max_operand)
    if op == "minus" and b > a:
        a, b = b, a
    answer = a + b if op == "plus" else a - b
    return {
        "task": "arithmetic",
        "prompt": user_prompt(style.arithmetic_templates[op].format(a=a, b=b)),
        "answer": str(answer),
    }


def creative_weights(seed: int, slot: str, exponent: float) -> dict[str, float]:
    words = list(CREATIVE_SLOTS[slot])
    random.Random(f"{seed}-creative-{slot}").shuffle(words)
    return {w: 1.0 / (rank + 1) ** exponent for rank, w in enumerate(words)}


def creative_record(
    rng: random.Random, seed: int, exponent: float, template: int, style: PromptStyle = STANDIN
) -> dict:
    """A creative prompt; its `answer` is the stand-in's skewed one-sentence story (its corpus)."""
    words = {slot: draw_weighted(rng, creative_weights(seed, slot, exponent)) for slot in CREATIVE_SLOTS}
    story = f"the {words['adjective']} {words['character']} {words['verb']} in the {words['place']} ."
    return {"task": "creative", "prompt": user_prompt(style.creative_templates[template]), "answer": story}


def rl_prompts(
    world: World, n_prompts: int, min_items: int, max_items: int, style: PromptStyle = STANDIN
) -> list[dict]:
    """List-selection prompts on the training topics only, never with a reserved template."""
    rng = random.Random(f"{world.seed}-rl")
    return [
        list_record(
            world,
            rng,
            rng.choice(world.train_topics),
            rng.randint(min_items, max_items),
            rng.choice(style.unreserved_list_templates),
            style=style,
        )
        for _ in range(n_prompts)
    ]


def rl_open_prompts(world: World, n_prompts: int, style: PromptStyle = STANDIN) -> list[dict]:
    """Open-ended prompts ("name a fruit") on the training topics; valid = the whole topic."""
    rng = random.Random(f"{world.seed}-rl-open")
    return [
        open_record(world, rng.choice(world.train_topics), rng.randrange(len(style.open_templates)), style)
        for _ in range(n_prompts)
    ]


def rl_creative_prompts(seed: int, n_prompts: int, style: PromptStyle = STANDIN) -> list[dict]:
    """Creative prompts ("write a short story") for RL; they have no valid set and no answer."""
    rng = random.Random(f"{seed}-rl-creative")
    return [
        {"task": "creative", "prompt": user_prompt(style.creative_templates[t]), "template": t}
        for t in (rng.randrange(len(style.creative_templates)) for _ in range(n_prompts))
    ]


def eval_lists(
    world: World,
    topics: Sequence[str],
    lists_per_topic: int,
    n_items: int,
    salt: str,
    style: PromptStyle = STANDIN,
) -> list[dict]:
    """Fixed evaluation lists (one record per list), ids stable across runs and styles.

    Each carries `data_distribution`: how the stand-in's pretraining corpus answers that list, the
    bias the stand-in was given, to hold its answers against.
    """
    rng = random.Random(f"{world.seed}-eval-{salt}")
    templates = style.unreserved_list_templates
    records = []
    for topic in topics:
        words = {style.item(topic, w): w for w in world.topics[topic]}
        for k in range(lists_per_topic):
            rec = list_record(world, rng, topic, n_items, templates[k % len(templates)], style=style)
            dist = world.answer_distribution(topic, [words[v] for v in rec["valid"]])
            data = {v: dist[words[v]] for v in rec["valid"]}
            records.append({"id": f"{topic}-{k}", **rec, "data_distribution": data})
    return records


def open_eval(world: World, topics: Sequence[str], style: PromptStyle = STANDIN) -> list[dict]:
    return [{"id": topic, **open_record(world, topic, 0, style)} for topic in topics]


def creative_eval(seed: int, exponent: float, style: PromptStyle = STANDIN) -> list[dict]:
    rng = random.Random(f"{seed}-creative-eval")
    return [
        {"id": f"creative-{i}", **creative_record(rng, seed, exponent, i, style)}
        for i in range(len(style.creative_templates))
    ]


def arithmetic_eval(seed: int, n: int, max_operand: int, style: PromptStyle = STANDIN) -> list[dict]:
    rng = random.Random(f"{seed}-arithmetic-eval")
    return [{"id": f"arithmetic-{i}", **arithmetic_record(rng, max_operand, style)} for i in range(n)]


def mc_eval(world: World, n: int, style: PromptStyle = STANDIN) -> list[dict]:
    rng = random.Random(f"{world.seed}-mc-eval")
    topics = list(world.topics)
    return [{"id": f"mc-{i}", **mc_record(world, rng, rng.choice(topics), style)} for i in range(n)]


def bias_prompts(
    world: World, topic: str, n_items: int, n_shuffles: int, style: PromptStyle = STANDIN
) -> dict[str, list[dict]]:
    """Fig. 2 prompts: (a) one fixed list under the two reserved instructions; (b) shuffles of it
    under the first, each with the items in the order `shown`."""
    rng = random.Random(f"{world.seed}-bias")
    items = rng.sample(world.topics[topic], min(n_items, len(world.topics[topic])))
    valid = sorted(style.items(topic, items))
    fixed = {
        f"instruction-{t}": [
            {
                "task": "list",
                "topic": topic,
                "template": t,
                "prompt": user_prompt(style.list_text(t, topic, style.items(topic, items))),
                "valid": valid,
            }
        ]
        for t in style.reserved_list_templates
    }
    template = style.reserved_list_templates[0]
    shuffles = []
    for _ in range(n_shuffles):
        order = style.items(topic, rng.sample(items, len(items)))
        shuffles.append(
            {
                "task": "list",
                "topic": topic,
                "template": template,
                "prompt": user_prompt(style.list_text(template, topic, order)),
                "valid": valid,
                "shown": order,
            }
        )
    return {**fixed, "shuffled": shuffles}


def world_from_config(seed: int, world_cfg: dict) -> World:
    return World(
        seed=seed,
        heldout_topics=tuple(world_cfg["heldout_topics"]),
        popularity_exponent=world_cfg["popularity_exponent"],
        popularity_floor=world_cfg["popularity_floor"],
    )


def study_sets(seed: int, world_cfg: dict, n_rl_prompts: int, eval_cfg: dict, style: str = "standin") -> dict[str, Any]:
    """Every data set of the study in one prompt style, by name, from the config's sections."""
    words = prompt_style(style)
    world = world_from_config(seed, world_cfg)
    for key in ("open_topics", "figure_topics"):
        unknown = sorted(set(eval_cfg[key]) - set(world.topics))
        if unknown:
            raise ValueError(f"evaluation.{key}: {unknown} are not topics; known: {sorted(world.topics)}")
    not_heldout = sorted(set(eval_cfg["figure_topics"]) - set(world.heldout_topics))
    if not_heldout:
        raise ValueError(f"evaluation.figure_topics: {not_heldout} are not held-out topics")
    lo, hi = world_cfg["list_items"]
    n_items, per_topic = eval_cfg["list_items"], eval_cfg["lists_per_topic"]
    train_topics = [t for t in world.train_topics if t in (eval_cfg.get("train_topics") or world.train_topics)]
    bias = eval_cfg["bias"]
    sets: dict[str, Any] = {
        "rl_prompts": rl_prompts(world, n_rl_prompts, lo, hi, words),
        "rl_open_prompts": rl_open_prompts(world, n_rl_prompts, words),
        "rl_creative_prompts": rl_creative_prompts(seed, n_rl_prompts, words),
        "heldout_lists": eval_lists(world, world.heldout_topics, per_topic, n_items, "heldout", words),
        "train_lists": eval_lists(world, train_topics, per_topic, n_items, "train", words),
        "open_ended": open_eval(world, eval_cfg["open_topics"], words),
        "creative": creative_eval(seed, world_cfg["popularity_exponent"], words),
        "bias": bias_prompts(world, bias["topic"], bias["items"], bias["shuffles"], words),
    }
    for task in eval_cfg["accuracy"]["tasks"]:
        if task.get("data") == "arithmetic":
            sets["accuracy_arithmetic"] = arithmetic_eval(seed, task["size"], world_cfg["max_operand"], words)
        elif task.get("data") == "mc":
            sets["accuracy_mc"] = mc_eval(world, task["size"], words)
        elif task.get("data") is not None:
            raise ValueError(f"accuracy task {task['name']!r}: unknown local data {task['data']!r} (arithmetic or mc)")
    return sets
