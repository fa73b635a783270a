"""Rule training_curves: every RL run's training curves in one figure."""

import pandas as pd

from gapo.plotting import save_figure, training_curves
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    curves = {tuple(run): pd.read_csv(path) for run, path in zip(p.runs, snakemake.input.curves, strict=True)}
    fig = training_curves(curves)
    save_figure(fig, snakemake.output)
