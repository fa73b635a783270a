"""The vLLM sampling backend (`compute.sampling_backend: vllm`): fast sampling on GPUs at paper scale.

vLLM pins its own torch and transformers, which differ from the project's, so it lives in its own
environment (README, "Paper scale"): `compute.vllm.python` names that environment's interpreter, and
the sampler runs `gapo.vllm_worker` there on all requests at once. The adapter is served unmerged
through a LoRA request, with `max_lora_rank` taken from the adapter itself.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from gapo.config import VLLM_LORA_DTYPES, VLLM_OWN_ENGINE_ARGS
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


def has_vllm(python: str) -> bool:
    return subprocess.run([python, "-c", "import vllm"], capture_output=True).returncode == 0


class VLLMSampler:
    """All requests in one `LLM.generate` call in the vLLM environment; each keeps its own seed."""

    def __init__(
        self,
        base: str,
        adapter: str | None = None,
        dtype: str = "bfloat16",
        seed: int = 0,
        gpu_memory_utilization: float = 0.85,
        max_model_len: int | None = None,
        python: str | None = None,
        engine_args: dict | None = None,
    ) -> None:
        if adapter is not None and dtype not in VLLM_LORA_DTYPES:
            raise ValueError(
                f"vLLM serves LoRA adapters only in {' or '.join(VLLM_LORA_DTYPES)} (its LoRA kernels), "
                f"not {dtype}: set the model's dtype to bfloat16, or use sampling_backend: transformers"
            )
        taken = sorted(set(engine_args or {}) & set(VLLM_OWN_ENGINE_ARGS))
        if taken:
            raise ValueError(f"vLLM engine_args {taken} are set by the sampler from the model and its adapter")
        self.python = python or sys.executable
        if not has_vllm(self.python):
            raise ImportError(
                f"compute.sampling_backend is vllm but {self.python} cannot import vLLM: install it in its own "
                'environment (README, "Paper scale") and name its python in compute.vllm.python, '
                "or use sampling_backend: transformers"
            )
        self.engine = {
            "model": base,
            "dtype": dtype,
            "seed": seed,
            "gpu_memory_utilization": gpu_memory_utilization,
            "trust_remote_code": False,
        }
        if max_model_len is not None:  # else vLLM takes the model's own context length
            self.engine["max_model_len"] = max_model_len
        self.engine |= engine_args or {}
        if adapter is not None:
            self.engine |= {"enable_lora": True, "max_loras": 1, "max_lora_rank": max_lora_rank(adapter_rank(adapter))}
        self.adapter = adapter

    def sample(self, requests: Sequence[SampleRequest]) -> list[list[str]]:
        with tempfile.TemporaryDirectory() as tmp:
            job, out = Path(tmp) / "job.json", Path(tmp) / "out.json"
            job.write_text(
                json.dumps(
                    {
                        "engine": self.engine,
                        "adapter": self.adapter,
                        "requests": [dataclasses.asdict(r) for r in requests],
                        "out": str(out),
                    }
                )
            )
            src = str(Path(__file__).resolve().parents[1])  # gapo itself, whatever that environment holds
            done = subprocess.run([self.python, "-m", "gapo.vllm_worker", str(job)], env=_with_path(src))
            if done.returncode != 0:
                raise RuntimeError(f"the vLLM worker failed (exit {done.returncode}); its output is above")
            return json.loads(out.read_text())


def _with_path(src: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p)}
