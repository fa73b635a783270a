"""Rule summary_table: the headline numbers of every model and method (mean and 95% CI over seeds)."""

from gapo.io import read_json_map, write_text
from gapo.tables import aggregate_seeds, summary_markdown, summary_table
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    diversity = read_json_map([tuple(k) for k in p.inputs_hold["metrics"]], snakemake.input.metrics)
    accuracy = read_json_map([tuple(k) for k in p.inputs_hold["accuracy"]], snakemake.input.accuracy)
    per_seed = summary_table(diversity, accuracy, [tuple(r) for r in p.inputs_hold["accuracy"]], p.temperatures)
    df = aggregate_seeds(per_seed)
    write_text(snakemake.output.per_seed, per_seed.to_csv(index=False, float_format="%.4f"))
    write_text(snakemake.output.csv, df.to_csv(index=False, float_format="%.4f"))
    write_text(snakemake.output.md, summary_markdown(df, p.temperatures, per_seed, p.target_models, p.real_models))
