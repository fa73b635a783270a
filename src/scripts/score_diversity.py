"""Rule diversity: the diversity metrics of every task's samples of one run."""

from gapo.diversity import creative_metrics, list_metrics, open_metrics
from gapo.io import read_jsonl, write_json
from gapo.workflow import rule_context

with rule_context(snakemake):
    for task, samples, prompts, out in zip(
        snakemake.params.tasks, snakemake.input.samples, snakemake.input.prompts, snakemake.output, strict=True
    ):
        records = read_jsonl(samples)
        if task in ("heldout_lists", "train_lists"):
            metrics = list_metrics(records, read_jsonl(prompts))
        elif task == "open_ended":
            metrics = open_metrics(records)
        else:
            metrics = creative_metrics(records)
        write_json(out, metrics)
