"""Rule table_accuracy: every accuracy task per model and method (mean and 95% CI over seeds)."""

import pandas as pd

from gapo.io import write_text
from gapo.tables import accuracy_table, markdown_table
from gapo.workflow import rule_context

with rule_context(snakemake):
    table = accuracy_table(pd.read_csv(snakemake.input[0]))
    write_text(snakemake.output.csv, table.to_csv(index=False, float_format="%.4f"))
    write_text(snakemake.output.md, markdown_table(table))
