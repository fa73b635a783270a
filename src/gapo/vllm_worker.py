"""Sample a job's requests with vLLM, in vLLM's own environment (`gapo.vllm_sampling` starts it).

    python -m gapo.vllm_worker JOB.json

Imports nothing of gapo but this file, so that it runs beside vLLM's torch and transformers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(job_path: str) -> None:
    from vllm import LLM, SamplingParams
    from vllm.lora.request import LoRARequest

    job = json.loads(Path(job_path).read_text())
    llm = LLM(**job["engine"])
    tokenizer = llm.get_tokenizer()
    requests = job["requests"]
    prompts = [tokenizer.apply_chat_template(r["prompt"], add_generation_prompt=True, tokenize=False) for r in requests]
    # The same pure sampling as gapo.sampling.PURE_SAMPLING, every setting stated: nothing comes
    # from the model's generation_config.
    params = [
        SamplingParams(
            n=r["n"],
            temperature=r["temperature"],
            top_p=1.0,
            top_k=0,
            min_p=0.0,
            repetition_penalty=1.0,
            presence_penalty=0.0,
            frequency_penalty=0.0,
            max_tokens=r["max_new_tokens"],
            seed=r["seed"],
        )
        for r in requests
    ]
    lora = LoRARequest("policy", 1, job["adapter"]) if job["adapter"] else None
    outputs = llm.generate(prompts, params, lora_request=lora, use_tqdm=True)
    Path(job["out"]).write_text(json.dumps([[c.text.strip() for c in out.outputs] for out in outputs]))


if __name__ == "__main__":
    main(sys.argv[1])
