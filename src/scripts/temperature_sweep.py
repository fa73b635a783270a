"""Rule temperature_sweep: held-out JSD, NV and sampled accuracy of one policy at each temperature."""

import gc
from pathlib import Path

from gapo.accuracy import tasks_from_config
from gapo.io import read_jsonl, write_json
from gapo.sampling import load_sampler
from gapo.temperature import sampled_accuracy, sweep_point
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    adapter = snakemake.input.adapter[0] if snakemake.input.adapter else None
    sampler = load_sampler(
        p.compute["sampling_backend"], p.base, adapter, dtype=p.dtype, device=p.compute["device"],
        batch_size=p.batch_size, seed=p.seed, vllm_options=p.compute["vllm"],
    )  # fmt: skip
    points = sweep_point(
        sampler, read_jsonl(snakemake.input.prompts), p.temperatures, p.samples, p.max_new_tokens, p.seed
    )
    del sampler  # free the GPU for lm-eval's copy of the model
    gc.collect()
    work_dir = Path(p.work_dir)
    tasks = [t for t in tasks_from_config(p.accuracy["tasks"], snakemake.input.data, work_dir) if t.name in p.tasks]
    accuracy = sampled_accuracy(
        p.base, adapter, tasks, p.temperatures, work_dir, seed=p.seed,
        batch_size=p.accuracy["batch_size"], limit=p.accuracy["limit"],
        apply_chat_template=p.accuracy["apply_chat_template"],
        allow_code_execution=p.accuracy["allow_code_execution"], device=p.compute["device"], dtype=p.dtype,
    )  # fmt: skip
    write_json(snakemake.output[0], {t: {**points[t], "accuracy": accuracy[t]} for t in points})
