"""Rule coherence: creative completions of one model and method, scored by the base model."""

from gapo.coherence import coherence_metrics
from gapo.io import read_jsonl, write_json
from gapo.model import load_policy
from gapo.workflow import rule_context

with rule_context(snakemake):
    model, tokenizer = load_policy(snakemake.params.base, dtype=snakemake.params.dtype, device=snakemake.params.device)
    samples = read_jsonl(snakemake.input.samples)
    write_json(snakemake.output[0], coherence_metrics(model, tokenizer, samples, read_jsonl(snakemake.input.prompts)))
