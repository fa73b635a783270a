"""Rule fig2_bias: paper Fig. 2 from the bias analyses."""

from pathlib import Path

from gapo.io import read_json
from gapo.plotting import fig2_bias, save_figure
from gapo.workflow import rule_context

with rule_context(snakemake):
    bias = {Path(p).stem: read_json(p) for p in snakemake.input}
    fig = fig2_bias(bias)
    save_figure(fig, snakemake.output)
