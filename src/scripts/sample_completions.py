"""Rule sample: completions of one model (base or with an adapter) on every task's prompts."""

from gapo.io import read_jsonl, write_jsonl
from gapo.model import load_policy
from gapo.sampling import sample_records
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    adapter = snakemake.input.adapter[0] if snakemake.input.adapter else None
    model, tokenizer = load_policy(p.base, adapter)
    for prompts, settings, out in zip(snakemake.input.prompts, p.sampling, snakemake.output, strict=True):
        records = sample_records(
            model,
            tokenizer,
            read_jsonl(prompts),
            n=settings["samples"],
            temperatures=settings["temperatures"],
            max_new_tokens=settings["max_new_tokens"],
            seed=p.seed,
            batch_size=settings["batch_size"],
        )
        print(out, write_jsonl(out, records), "samples")
