"""Rule base_model: build and pretrain the stand-in model on the skewed corpus."""

from pathlib import Path

from gapo.io import atomic_dir, read_jsonl, write_json
from gapo.standin import PretrainSettings, StandinArchitecture, pretrain
from gapo.workflow import rule_context

with rule_context(snakemake):
    cfg = snakemake.params.standin
    records = read_jsonl(snakemake.input.corpus)
    with atomic_dir(snakemake.output.model) as tmp:
        metrics = pretrain(
            records,
            StandinArchitecture(**cfg["architecture"]),
            PretrainSettings(**cfg["pretrain"], seed=snakemake.params.seed),
            Path(tmp),
            device=snakemake.params.device,
        )
    write_json(snakemake.output.metrics, metrics)
