"""Rule fig4_list_sampling: paper Fig. 4 from the held-out list metrics."""

from gapo.io import read_json_map
from gapo.plotting import fig4_list_sampling, save_figure
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    metrics = read_json_map([tuple(r) for r in p.runs], snakemake.input.metrics)
    fig = fig4_list_sampling(metrics, p.topics, f"{p.temperature:g}", p.methods)
    save_figure(fig, snakemake.output)
