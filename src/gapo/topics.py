"""The stand-in world's topics: categories of single-word items, each item in exactly one topic.

One word per item keeps one answer = one token under the word-level tokenizer, so an answer's
probability is a single softmax entry and validity is a set lookup.
"""

from __future__ import annotations

TOPICS: dict[str, tuple[str, ...]] = {
    "planet": ("mercury", "venus", "earth", "mars", "jupiter", "saturn", "uranus", "neptune"),
    "instrument": (
        "piano", "guitar", "violin", "drums", "flute", "trumpet", "cello", "harp",
        "saxophone", "clarinet", "banjo", "ukulele",
    ),
    "color": (
        "red", "blue", "green", "yellow", "purple", "pink", "brown", "black",
        "white", "gray", "teal", "magenta",
    ),
    "animal": (
        "dog", "cat", "horse", "lion", "tiger", "elephant", "giraffe", "zebra",
        "monkey", "bear", "wolf", "fox", "rabbit", "deer",
    ),
    "fruit": (
        "apple", "banana", "cherry", "grape", "mango", "pear", "peach", "plum",
        "kiwi", "lemon", "lime", "melon",
    ),
    "country": (
        "france", "germany", "japan", "brazil", "canada", "india", "italy", "spain",
        "mexico", "egypt", "kenya", "norway", "peru", "chile",
    ),
    "vegetable": (
        "carrot", "potato", "onion", "garlic", "cabbage", "spinach", "broccoli", "pepper",
        "lettuce", "celery",
    ),
    "sport": (
        "soccer", "tennis", "golf", "hockey", "rugby", "cricket", "baseball", "volleyball",
        "boxing", "cycling", "rowing", "fencing",
    ),
    "city": (
        "paris", "london", "tokyo", "berlin", "rome", "madrid", "cairo", "sydney",
        "toronto", "moscow", "dublin", "vienna",
    ),
    "metal": ("gold", "silver", "copper", "iron", "zinc", "nickel", "platinum", "aluminum", "lead", "tin"),
    "bird": (
        "eagle", "sparrow", "robin", "owl", "parrot", "penguin", "crow", "swan",
        "pigeon", "falcon", "flamingo", "heron",
    ),
    "fish": ("salmon", "tuna", "trout", "cod", "shark", "carp", "perch", "herring", "sardine", "mackerel"),
    "flower": (
        "rose", "tulip", "daisy", "lily", "orchid", "sunflower", "violet", "lotus",
        "poppy", "iris",
    ),
    "tree": ("oak", "pine", "maple", "birch", "willow", "cedar", "elm", "palm", "spruce", "ash"),
    "furniture": ("chair", "table", "sofa", "bed", "desk", "shelf", "stool", "bench", "cabinet", "wardrobe"),
    "vehicle": (
        "car", "bus", "truck", "bicycle", "train", "boat", "airplane", "tram",
        "scooter", "tractor", "helicopter", "ferry",
    ),
    "profession": (
        "doctor", "teacher", "lawyer", "engineer", "nurse", "farmer", "pilot", "chef",
        "artist", "baker", "plumber", "dentist",
    ),
    "drink": ("water", "coffee", "tea", "milk", "juice", "soda", "lemonade", "cocoa", "cider", "smoothie"),
    "gemstone": ("diamond", "ruby", "emerald", "sapphire", "opal", "pearl", "topaz", "amethyst", "jade", "garnet"),
    "language": (
        "english", "french", "german", "spanish", "chinese", "arabic", "hindi", "russian",
        "portuguese", "swahili",
    ),
    "clothing": ("shirt", "jacket", "hat", "scarf", "dress", "skirt", "sweater", "coat", "glove", "sock"),
    "tool": ("hammer", "saw", "drill", "wrench", "screwdriver", "pliers", "shovel", "rake", "axe", "chisel"),
    "dance": ("waltz", "tango", "salsa", "ballet", "foxtrot", "rumba", "polka", "samba", "flamenco", "hiphop"),
    "shape": ("circle", "square", "triangle", "oval", "hexagon", "pentagon", "star", "heart", "rhombus", "cube"),
}


def topic_of(item: str) -> str:
    """The topic an item belongs to."""
    for topic, items in TOPICS.items():
        if item in items:
            return topic
    raise KeyError(f"{item!r} belongs to no topic")


def _check_items_unique() -> None:
    seen: dict[str, str] = {}
    for topic, items in TOPICS.items():
        for item in items:
            if item in seen:
                raise ValueError(f"item {item!r} is in both {seen[item]!r} and {topic!r}")
            seen[item] = topic


_check_items_unique()
