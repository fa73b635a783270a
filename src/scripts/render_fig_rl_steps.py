"""Rule fig_rl_steps: held-out JSD and NV against RL steps, from each run's probe.csv."""

import pandas as pd

from gapo.plotting import rl_steps, save_figure
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    probes = {tuple(run): pd.read_csv(path) for run, path in zip(p.runs, snakemake.input.probes, strict=True)}
    save_figure(rl_steps(probes, p.temperature), snakemake.output)
