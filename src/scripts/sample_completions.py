"""Rule sample: completions of one model (base or with an adapter) on every task's prompts."""

from gapo.io import read_jsonl, write_jsonl
from gapo.sampling import load_sampler, sample_records
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    adapter = snakemake.input.adapter[0] if snakemake.input.adapter else None
    sampler = load_sampler(
        p.compute["sampling_backend"],
        p.base,
        adapter,
        dtype=p.dtype,
        device=p.compute["device"],
        batch_size=p.batch_size,
        seed=p.seed,
        vllm_options=p.compute["vllm"],
    )
    for prompts, settings, out in zip(snakemake.input.prompts, p.sampling, snakemake.output, strict=True):
        records = sample_records(
            sampler,
            read_jsonl(prompts),
            n=settings["samples"],
            temperatures=settings["temperatures"],
            max_new_tokens=settings["max_new_tokens"],
            seed=p.seed,
        )
        print(out, write_jsonl(out, records), "samples")
