"""Rule bias: paper Fig. 2 numbers for one base model."""

from gapo.bias import bias_analysis
from gapo.io import read_json, write_json
from gapo.model import load_policy
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    model, tokenizer = load_policy(p.base, dtype=p.dtype, device=p.device)
    result = bias_analysis(
        model,
        tokenizer,
        read_json(snakemake.input.prompts),
        n_samples=p.bias["samples"],
        temperature=p.bias["temperature"],
        max_new_tokens=p.max_new_tokens,
        seed=p.seed,
    )
    write_json(snakemake.output[0], result)
