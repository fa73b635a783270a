"""The world a probe runs in: the default's, or one whose topics are enlarged with made-up items."""

from __future__ import annotations

from gapo.data import World
from gapo.topics import TOPICS

HELDOUT = ("planet", "instrument", "gemstone", "bird", "tree", "language")


def probe_world(seed: int, exponent: float = 3.0, topic_extra: int = 0) -> World:
    """`topic_extra` made-up items per topic ("planet1", ...): an 8-item list then leaves most of its
    topic unlisted, so the topic prior alone rarely gives a listed answer and reading the list pays."""
    topics = {t: items + tuple(f"{t}{i}" for i in range(1, topic_extra + 1)) for t, items in TOPICS.items()}
    return World(seed=seed, heldout_topics=HELDOUT, popularity_exponent=exponent, topics=topics)
