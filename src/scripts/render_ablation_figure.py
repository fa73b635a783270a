"""Rule ablation_figure: one ablation study (a list of methods) drawn side by side."""

import pandas as pd

from gapo.plotting import ablation_figure, save_figure
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    table = pd.read_csv(snakemake.input.table)
    fig = ablation_figure(table, p.methods, p.temperature, p.title)
    save_figure(fig, snakemake.output)
