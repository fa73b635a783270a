"""Rule base_vs_data: the base model's answer distributions held against its corpus', per list."""

import pandas as pd

from gapo.io import read_json_map, read_jsonl, write_text
from gapo.tables import base_vs_data_table, markdown_table
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    prompts = {task: read_jsonl(path) for task, path in zip(p.tasks, snakemake.input.prompts, strict=True)}
    metrics = read_json_map(p.inputs_hold, snakemake.input.metrics)
    frames = []
    for (model, task), result in metrics.items():
        table = base_vs_data_table(prompts[task], result)
        frames.append(table.assign(model=model, split=task.removesuffix("_lists")))
    df = pd.concat(frames, ignore_index=True)
    df = df[["model", "split", *[c for c in df.columns if c not in ("model", "split")]]]
    write_text(snakemake.output.csv, df.to_csv(index=False, float_format="%.4f"))
    write_text(snakemake.output.md, markdown_table(df))
