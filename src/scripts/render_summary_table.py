"""Rule summary_table: the headline numbers of every model and method, as CSV and Markdown."""

from gapo.io import read_json_map, write_text
from gapo.tables import summary_markdown, summary_table
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    diversity = read_json_map(p.inputs_hold["metrics"], snakemake.input.metrics)
    accuracy = read_json_map(p.inputs_hold["accuracy"], snakemake.input.accuracy)
    df = summary_table(diversity, accuracy, p.models, p.methods, p.temperatures)
    write_text(snakemake.output.csv, df.to_csv(index=False, float_format="%.4f"))
    write_text(snakemake.output.md, summary_markdown(df, p.temperatures))
