"""Seeded synthetic data of the stand-in world: pretraining corpus, RL prompts and evaluation sets.

Every record is a dict that serialises to one JSONL line. Prompts are conversational
(`[{"role": "user", "content": ...}]`) so that a chat template turns them into model input, the
same way for the stand-in model and for a hub instruct model.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from gapo.topics import TOPICS

# Instruction templates for list selection. The last two are reserved for the Fig. 2a comparison:
# the base model knows them from pretraining, RL never trains on them.
LIST_TEMPLATES: tuple[str, ...] = (
    "pick one {topic} from this list",
    "choose a {topic} from the following",
    "name one {topic} from these options",
    "select a random {topic} from this list",
    "which {topic} would you pick from this list",
    "give me one {topic} from the list",
)
RESERVED_LIST_TEMPLATES: tuple[int, ...] = (4, 5)
# The phrasings RL prompts and evaluation lists draw from.
UNRESERVED_LIST_TEMPLATES: tuple[int, ...] = tuple(
    i for i in range(len(LIST_TEMPLATES)) if i not in RESERVED_LIST_TEMPLATES
)
# Phrasings under which the corpus answers uniformly over the list: a latent skill, as a pretrained
# model knows how to pick at random, that the collapsed instructions above do not use. Never
# evaluated, never used as RL prompts.
UNIFORM_LIST_TEMPLATES: tuple[str, ...] = (
    "draw a {topic} uniformly from this list",
    "pick any {topic} from this list , all equally likely",
    "roll a die and pick a {topic} from this list",
)
COPY_TEMPLATE = "repeat this list"
ANY_TEMPLATE = "pick any word from this list"
OPEN_TEMPLATES: tuple[str, ...] = ("name a {topic}", "tell me any {topic}", "say one {topic}")
MC_TEMPLATE = "which of these is a {topic} ? {options}"
ARITHMETIC_TEMPLATES: dict[str, str] = {"plus": "what is {a} plus {b} ?", "minus": "what is {a} minus {b} ?"}
CREATIVE_TEMPLATES: tuple[str, ...] = ("write a short story", "tell me a tiny tale", "invent a story")
# Creative stand-in: a sentence "the <adjective> <character> <verb> in the <place> ." with skewed slots.
CREATIVE_SLOTS: dict[str, tuple[str, ...]] = {
    "adjective": ("brave", "little", "old", "happy", "quiet", "clever", "lonely", "tiny", "proud", "sleepy"),
    "character": ("knight", "princess", "robot", "wizard", "dragon", "pirate", "giant", "witch", "king", "child"),
    "verb": ("sang", "danced", "slept", "laughed", "waited", "wandered", "cried", "dreamed", "hid", "played"),
    "place": ("forest", "castle", "village", "mountain", "desert", "river", "garden", "ocean", "island", "cave"),
}


def user_prompt(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def list_prompt_text(instruction: str, items: Sequence[str]) -> str:
    return f"{instruction} : {' , '.join(items)} ."


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


def _draw(rng: random.Random, distribution: dict[str, float]) -> str:
    items = list(distribution)
    return rng.choices(items, weights=[distribution[i] for i in items])[0]


def list_record(
    world: World,
    rng: random.Random,
    topic: str,
    n_items: int,
    template: int,
    n_distractors: int = 0,
    templates: Sequence[str] = LIST_TEMPLATES,
) -> dict:
    """One list-selection prompt: `n_items` of `topic` (plus distractors of other topics), shuffled."""
    items = rng.sample(world.topics[topic], min(n_items, len(world.topics[topic])))
    others = [t for t in world.topics if t != topic]
    distractors = [rng.choice(world.topics[t]) for t in rng.sample(others, n_distractors)]
    shown = items + distractors
    rng.shuffle(shown)
    instruction = templates[template].format(topic=topic)
    return {
        "task": "list",
        "topic": topic,
        "template": template,
        "prompt": user_prompt(list_prompt_text(instruction, shown)),
        "valid": sorted(items),
    }


def open_record(world: World, topic: str, template: int) -> dict:
    return {
        "task": "open",
        "topic": topic,
        "template": template,
        "prompt": user_prompt(OPEN_TEMPLATES[template].format(topic=topic)),
        "valid": sorted(world.topics[topic]),
    }


def mc_record(world: World, rng: random.Random, topic: str) -> dict:
    answer = rng.choice(world.topics[topic])
    others = rng.sample([t for t in world.topics if t != topic], 3)
    options = [answer] + [rng.choice(world.topics[t]) for t in others]
    rng.shuffle(options)
    return {
        "task": "mc",
        "topic": topic,
        "prompt": user_prompt(MC_TEMPLATE.format(topic=topic, options=" , ".join(options))),
        "choices": options,
        "label": options.index(answer),
        "answer": answer,
    }


def arithmetic_record(rng: random.Random, max_operand: int) -> dict:
    op = rng.choice(sorted(ARITHMETIC_TEMPLATES))
    a, b = rng.randint(0, max_operand), rng.randint(0, max_operand)
    if op == "minus" and b > a:
        a, b = b, a
    answer = a + b if op == "plus" else a - b
    return {
        "task": "arithmetic",
        "prompt": user_prompt(ARITHMETIC_TEMPLATES[op].format(a=a, b=b)),
        "answer": str(answer),
    }


def creative_weights(seed: int, slot: str, exponent: float) -> dict[str, float]:
    words = list(CREATIVE_SLOTS[slot])
    random.Random(f"{seed}-creative-{slot}").shuffle(words)
    return {w: 1.0 / (rank + 1) ** exponent for rank, w in enumerate(words)}


def creative_record(rng: random.Random, seed: int, exponent: float, template: int) -> dict:
    words = {slot: _draw(rng, creative_weights(seed, slot, exponent)) for slot in CREATIVE_SLOTS}
    story = f"the {words['adjective']} {words['character']} {words['verb']} in the {words['place']} ."
    return {"task": "creative", "prompt": user_prompt(CREATIVE_TEMPLATES[template]), "answer": story}


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
                rec = list_record(world, rng, topic, n, template, distractors, UNIFORM_LIST_TEMPLATES)
                yield with_answer(rec | {"template": f"uniform-{template}"}, rng.choice(rec["valid"]))
                continue
            rec = list_record(world, rng, topic, n, rng.randrange(len(LIST_TEMPLATES)), distractors)
            yield with_answer(rec, _draw(rng, world.answer_distribution(topic, rec["valid"])))
        elif kind == "open_ended":
            rec = open_record(world, topic, rng.randrange(len(OPEN_TEMPLATES)))
            yield with_answer(rec, _draw(rng, world.answer_distribution(topic, rec["valid"])))
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
            rec = creative_record(rng, world.seed, world.popularity_exponent, rng.randrange(len(CREATIVE_TEMPLATES)))
            yield with_answer(rec, rec["answer"])


def rl_prompts(world: World, n_prompts: int, min_items: int, max_items: int) -> list[dict]:
    """List-selection prompts on the training topics only, never with a reserved template."""
    rng = random.Random(f"{world.seed}-rl")
    return [
        list_record(
            world,
            rng,
            rng.choice(world.train_topics),
            rng.randint(min_items, max_items),
            rng.choice(UNRESERVED_LIST_TEMPLATES),
        )
        for _ in range(n_prompts)
    ]


def rl_open_prompts(world: World, n_prompts: int) -> list[dict]:
    """Open-ended prompts ("name a fruit") on the training topics; valid = the whole topic."""
    rng = random.Random(f"{world.seed}-rl-open")
    return [
        open_record(world, rng.choice(world.train_topics), rng.randrange(len(OPEN_TEMPLATES))) for _ in range(n_prompts)
    ]


def rl_creative_prompts(seed: int, n_prompts: int) -> list[dict]:
    """Creative prompts ("write a short story") for RL; they have no valid set and no answer."""
    rng = random.Random(f"{seed}-rl-creative")
    return [
        {"task": "creative", "prompt": user_prompt(CREATIVE_TEMPLATES[t]), "template": t}
        for t in (rng.randrange(len(CREATIVE_TEMPLATES)) for _ in range(n_prompts))
    ]


def eval_lists(world: World, topics: Sequence[str], lists_per_topic: int, n_items: int, salt: str) -> list[dict]:
    """Fixed evaluation lists (one record per list), ids stable across runs.

    Each carries `data_distribution`: how the pretraining corpus answers that list, the bias the
    base model was given, to hold its answers against.
    """
    rng = random.Random(f"{world.seed}-eval-{salt}")
    records = []
    for topic in topics:
        for k in range(lists_per_topic):
            rec = list_record(world, rng, topic, n_items, UNRESERVED_LIST_TEMPLATES[k % len(UNRESERVED_LIST_TEMPLATES)])
            dist = world.answer_distribution(topic, rec["valid"])
            records.append({"id": f"{topic}-{k}", **rec, "data_distribution": dist})
    return records


def open_eval(world: World, topics: Sequence[str]) -> list[dict]:
    return [{"id": topic, **open_record(world, topic, 0)} for topic in topics]


def creative_eval(seed: int, exponent: float) -> list[dict]:
    rng = random.Random(f"{seed}-creative-eval")
    return [{"id": f"creative-{i}", **creative_record(rng, seed, exponent, i)} for i in range(len(CREATIVE_TEMPLATES))]


def arithmetic_eval(seed: int, n: int, max_operand: int) -> list[dict]:
    rng = random.Random(f"{seed}-arithmetic-eval")
    return [{"id": f"arithmetic-{i}", **arithmetic_record(rng, max_operand)} for i in range(n)]


def mc_eval(world: World, n: int) -> list[dict]:
    rng = random.Random(f"{world.seed}-mc-eval")
    topics = list(world.topics)
    return [{"id": f"mc-{i}", **mc_record(world, rng, rng.choice(topics))} for i in range(n)]


def bias_prompts(world: World, topic: str, n_items: int, n_shuffles: int) -> dict[str, list[dict]]:
    """Fig. 2 prompts: (a) one fixed list under the two reserved instructions; (b) shuffles of it."""
    rng = random.Random(f"{world.seed}-bias")
    items = rng.sample(world.topics[topic], min(n_items, len(world.topics[topic])))
    fixed = {
        f"instruction-{t}": [
            {
                "task": "list",
                "topic": topic,
                "template": t,
                "prompt": user_prompt(list_prompt_text(LIST_TEMPLATES[t].format(topic=topic), items)),
                "valid": sorted(items),
            }
        ]
        for t in RESERVED_LIST_TEMPLATES
    }
    template = RESERVED_LIST_TEMPLATES[0]
    shuffles = []
    for _ in range(n_shuffles):
        order = rng.sample(items, len(items))
        shuffles.append(
            {
                "task": "list",
                "topic": topic,
                "template": template,
                "prompt": user_prompt(list_prompt_text(LIST_TEMPLATES[template].format(topic=topic), order)),
                "valid": sorted(items),
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


def study_sets(seed: int, world_cfg: dict, n_rl_prompts: int, eval_cfg: dict) -> dict[str, Any]:
    """Every data set of the study but the pretraining corpus, by name, from the config's sections."""
    world = world_from_config(seed, world_cfg)
    for key in ("open_topics", "figure_topics"):
        unknown = sorted(set(eval_cfg[key]) - set(world.topics))
        if unknown:
            raise ValueError(f"evaluation.{key}: {unknown} are not topics; known: {sorted(world.topics)}")
    not_heldout = sorted(set(eval_cfg["figure_topics"]) - set(world.heldout_topics))
    if not_heldout:
        raise ValueError(f"evaluation.figure_topics: {not_heldout} are not held-out topics")
    lo, hi = world_cfg["list_items"]
    n_items = eval_cfg["list_items"]
    bias = eval_cfg["bias"]
    sets: dict[str, Any] = {
        "rl_prompts": rl_prompts(world, n_rl_prompts, lo, hi),
        "rl_open_prompts": rl_open_prompts(world, n_rl_prompts),
        "rl_creative_prompts": rl_creative_prompts(seed, n_rl_prompts),
        "heldout_lists": eval_lists(world, world.heldout_topics, eval_cfg["lists_per_topic"], n_items, "heldout"),
        "train_lists": eval_lists(world, world.train_topics, eval_cfg["lists_per_topic"], n_items, "train"),
        "open_ended": open_eval(world, eval_cfg["open_topics"]),
        "creative": creative_eval(seed, world_cfg["popularity_exponent"]),
        "bias": bias_prompts(world, bias["topic"], bias["items"], bias["shuffles"]),
    }
    for task in eval_cfg["accuracy"]["tasks"]:
        if task.get("data") == "arithmetic":
            sets["accuracy_arithmetic"] = arithmetic_eval(seed, task["size"], world_cfg["max_operand"])
        elif task.get("data") == "mc":
            sets["accuracy_mc"] = mc_eval(world, task["size"])
        elif task.get("data") is not None:
            raise ValueError(f"accuracy task {task['name']!r}: unknown local data {task['data']!r} (arithmetic or mc)")
    return sets
