"""Rule table_diversity: every diversity metric per model, method and temperature (mean and 95% CI)."""

import pandas as pd

from gapo.io import write_text
from gapo.tables import diversity_table, markdown_table
from gapo.workflow import rule_context

with rule_context(snakemake):
    table = diversity_table(pd.read_csv(snakemake.input[0]), snakemake.params.temperatures)
    write_text(snakemake.output.csv, table.to_csv(index=False, float_format="%.4f"))
    write_text(snakemake.output.md, markdown_table(table))
