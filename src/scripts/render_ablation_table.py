"""Rule ablation_table: base, the main methods and every ablation method side by side."""

from gapo.io import read_json_map, write_text
from gapo.tables import ablation_markdown, aggregate_seeds, describe_method, summary_table
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    diversity = read_json_map([tuple(k) for k in p.inputs_hold["metrics"]], snakemake.input.metrics)
    accuracy = read_json_map([tuple(k) for k in p.inputs_hold["accuracy"]], snakemake.input.accuracy)
    per_seed = summary_table(diversity, accuracy, [tuple(r) for r in p.inputs_hold["accuracy"]], p.temperatures)
    per_seed.insert(
        2, "rewards", [describe_method(p.method_configs[m]) if m != "base" else "-" for m in per_seed.method]
    )
    write_text(snakemake.output.per_seed, per_seed.to_csv(index=False, float_format="%.4f"))
    df = aggregate_seeds(per_seed)
    write_text(snakemake.output.csv, df.to_csv(index=False, float_format="%.4f"))
    write_text(snakemake.output.md, "\n".join(ablation_markdown(df, t) for t in p.temperatures))
