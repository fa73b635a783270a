"""Rule summary_table: the headline numbers of every model and method, as CSV and Markdown."""

from pathlib import Path

from gapo.io import read_json, write_text
from gapo.tables import summary_table, to_markdown
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    diversity = {}
    for path in snakemake.input.metrics:
        model, method, task = Path(path).relative_to(Path(p.results) / "metrics").with_suffix("").parts
        diversity[(model, method, task)] = read_json(path)
    accuracy = {}
    for path in snakemake.input.accuracy:
        model, method = Path(path).relative_to(Path(p.results) / "accuracy").with_suffix("").parts
        accuracy[(model, method)] = read_json(path)
    df = summary_table(diversity, accuracy, p.models, p.methods, p.temperatures)
    write_text(snakemake.output.csv, df.to_csv(index=False, float_format="%.4f"))
    write_text(snakemake.output.md, to_markdown(df))
