"""Rule fig_temperature: the base model over a temperature sweep against GAPO at the headline temperature."""

from gapo.io import read_json_map, write_text
from gapo.plotting import fig_temperature, save_figure
from gapo.tables import markdown_table, temperature_frame, temperature_table
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    frame = temperature_frame(read_json_map([tuple(r) for r in p.runs], snakemake.input))
    save_figure(fig_temperature(frame, p.headline), [snakemake.output.png, snakemake.output.pdf])
    table = temperature_table(frame)
    write_text(snakemake.output.csv, table.to_csv(index=False, float_format="%.4f"))
    write_text(snakemake.output.md, markdown_table(table))
