"""Rule corpus: the stand-in's pretraining corpus (its own rule, so that changing RL or evaluation
settings never forces pretraining again)."""

from gapo.corpus import corpus_from_config
from gapo.io import write_jsonl
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    print("pretrain", write_jsonl(snakemake.output[0], corpus_from_config(p.seed, p.world, p.corpus_size)), "records")
