"""Rule sample: completions of one model (base or with an adapter) on one task's prompts."""

from gapo.io import read_jsonl, write_jsonl
from gapo.model import load_policy
from gapo.sampling import sample_records
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    adapter = snakemake.input.adapter[0] if snakemake.input.adapter else None
    model, tokenizer = load_policy(p.base, adapter)
    records = sample_records(
        model,
        tokenizer,
        read_jsonl(snakemake.input.prompts),
        n=p.sampling["samples"],
        temperatures=p.sampling["temperatures"],
        max_new_tokens=p.sampling["max_new_tokens"],
        seed=p.seed,
        batch_size=p.sampling["batch_size"],
    )
    print(write_jsonl(snakemake.output[0], records), "samples")
