"""Rule diversity: the diversity metrics of one task's samples."""

from gapo.diversity import creative_metrics, list_metrics, open_metrics
from gapo.io import read_jsonl, write_json
from gapo.workflow import rule_context

with rule_context(snakemake):
    samples = read_jsonl(snakemake.input.samples)
    task = snakemake.wildcards.task
    if task in ("heldout_lists", "train_lists"):
        metrics = list_metrics(samples, read_jsonl(snakemake.input.prompts))
    elif task == "open_ended":
        metrics = open_metrics(samples)
    else:
        metrics = creative_metrics(samples)
    write_json(snakemake.output[0], metrics)
