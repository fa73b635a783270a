"""Rule fig_creative: creative-writing diversity against coherence, per method and temperature."""

from gapo.io import read_json_map
from gapo.plotting import creative_diversity_coherence, save_figure
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    runs = [tuple(r) for r in p.runs]
    creative = read_json_map(runs, snakemake.input.creative)
    coherence = read_json_map(runs, snakemake.input.coherence)
    creative = {k: {t: v for t, v in m.items() if t != "prompts"} for k, m in creative.items()}
    fig = creative_diversity_coherence(creative, coherence, p.methods)
    save_figure(fig, snakemake.output)
