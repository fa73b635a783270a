"""Rule fig5_open_set: paper Fig. 5 from the open-ended metrics."""

from gapo.io import read_json_map
from gapo.plotting import fig5_open_set, save_figure
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    metrics = read_json_map([tuple(r) for r in p.runs], snakemake.input.metrics)
    fig = fig5_open_set(metrics, p.topics, f"{p.temperature:g}", p.methods)
    save_figure(fig, snakemake.output)
