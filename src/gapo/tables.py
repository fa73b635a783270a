"""The summary table: one row per model and method, the headline numbers as columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd


def summary_table(
    diversity: Mapping[tuple[str, str, str], dict],
    accuracy: Mapping[tuple[str, str], dict],
    models: Sequence[str],
    methods: Sequence[str],
    temperatures: Sequence[float],
) -> pd.DataFrame:
    """`diversity[(model, method, task)]` and `accuracy[(model, method)]` are the metric files' contents."""
    rows = []
    for model in models:
        for method in methods:
            row: dict[str, object] = {"model": model, "method": method}
            for t in temperatures:
                key = f"{t:g}"
                held = diversity[(model, method, "heldout_lists")][key]
                train = diversity[(model, method, "train_lists")][key]
                open_ = diversity[(model, method, "open_ended")][key]
                creative = diversity[(model, method, "creative")][key]
                row |= {
                    f"heldout_jsd@T{key}": held["jsd"],
                    f"heldout_nv@T{key}": held["nv"],
                    f"train_jsd@T{key}": train["jsd"],
                    f"train_nv@T{key}": train["nv"],
                    f"unique@{open_['n']}@T{key}": open_["unique"],
                    f"open_nv@T{key}": open_["nv"],
                    f"creative_distinct2@T{key}": creative["distinct_2"],
                }
            for task, score in accuracy[(model, method)].items():
                row[f"acc_{task}"] = score["value"]
            rows.append(row)
    return pd.DataFrame(rows)


def to_markdown(df: pd.DataFrame) -> str:
    """A Markdown table (no extra dependency): rates as percentages, other numbers to 3 digits."""
    def fmt(col: str, v: object) -> str:
        if isinstance(v, float):
            return f"{100 * v:.1f}%" if ("_nv@" in col or col.startswith("acc_")) else f"{v:.3f}"
        return str(v)

    header = "| " + " | ".join(df.columns) + " |"
    rule = "|" + "|".join("---" for _ in df.columns) + "|"
    lines = [header, rule]
    for _, row in df.iterrows():
        lines.append("| " + " | ".join(fmt(c, row[c]) for c in df.columns) + " |")
    return "\n".join(lines) + "\n"
