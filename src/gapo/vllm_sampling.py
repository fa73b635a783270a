"""The vLLM sampling backend (`compute.sampling_backend: vllm`): fast sampling on GPUs at paper scale.

An optional extra (`pip install -e ".[vllm]"`): vLLM pins its own torch, so it is kept out of the CPU
install. The adapter is served unmerged through a LoRA request, with `max_lora_rank` taken from the
adapter itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from gapo.sampling import SampleRequest

# The ranks vLLM accepts as `max_lora_rank` (vllm/config/lora.py).
VLLM_LORA_RANKS = (1, 8, 16, 32, 64, 128, 256, 320, 512)


def adapter_rank(adapter: str | Path) -> int:
    """The LoRA rank of a saved peft adapter: the largest of `r` and any per-module `rank_pattern`."""
    path = Path(adapter) / "adapter_config.json"
    if not path.is_file():
        raise FileNotFoundError(f"adapter path {str(adapter)!r} holds no adapter_config.json")
    config = json.loads(path.read_text())
    return max([int(config["r"]), *(int(r) for r in (config.get("rank_pattern") or {}).values())])


def max_lora_rank(rank: int) -> int:
    """The smallest rank vLLM accepts as `max_lora_rank` that holds an adapter of rank `rank`."""
    for allowed in VLLM_LORA_RANKS:
        if allowed >= rank:
            return allowed
    raise ValueError(f"LoRA rank {rank} is above vLLM's largest max_lora_rank {VLLM_LORA_RANKS[-1]}")


class VLLMSampler:
    """All requests in one `LLM.generate` call; each request keeps its own seed (reproducible)."""

    def __init__(
        self,
        base: str,
        adapter: str | None = None,
        dtype: str = "bfloat16",
        seed: int = 0,
        gpu_memory_utilization: float = 0.85,
        max_model_len: int = 4096,
    ) -> None:
        try:
            from vllm import LLM
            from vllm.lora.request import LoRARequest
        except ImportError as err:
            raise ImportError(
                "compute.sampling_backend is vllm but vLLM is not installed: "
                'pip install -e ".[vllm]" on a CUDA machine, or use sampling_backend: transformers'
            ) from err
        lora = {}
        if adapter is not None:
            lora = {"enable_lora": True, "max_loras": 1, "max_lora_rank": max_lora_rank(adapter_rank(adapter))}
        self.llm = LLM(
            model=base,
            dtype=dtype,
            seed=seed,
            gpu_memory_utilization=gpu_memory_utilization,
            max_model_len=max_model_len,
            trust_remote_code=False,
            **lora,
        )
        self.tokenizer = self.llm.get_tokenizer()
        self.lora_request = LoRARequest("policy", 1, str(adapter)) if adapter is not None else None

    def sample(self, requests: Sequence[SampleRequest]) -> list[list[str]]:
        from vllm import SamplingParams

        prompts = [
            self.tokenizer.apply_chat_template(r.prompt, add_generation_prompt=True, tokenize=False) for r in requests
        ]
        params = [
            SamplingParams(
                n=r.n, temperature=r.temperature, top_p=1.0, top_k=0, max_tokens=r.max_new_tokens, seed=r.seed
            )
            for r in requests
        ]
        outputs = self.llm.generate(prompts, params, lora_request=self.lora_request, use_tqdm=True)
        return [[c.text.strip() for c in out.outputs] for out in outputs]
