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


def _cell(column: str, value: object) -> str:
    if isinstance(value, float):
        return f"{100 * value:.1f}%" if ("nv" in column or column.startswith("acc")) else f"{value:.3f}"
    return str(value)


def _markdown(df: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(df.columns) + " |", "|" + "|".join("---" for _ in df.columns) + "|"]
    for _, row in df.iterrows():
        lines.append("| " + " | ".join(_cell(c, row[c]) for c in df.columns) + " |")
    return "\n".join(lines) + "\n"


def summary_markdown(df: pd.DataFrame, temperatures: Sequence[float]) -> str:
    """One Markdown table per sampling temperature (accuracy is greedy, so the same in each)."""
    blocks = []
    accuracy = [c for c in df.columns if c.startswith("acc_")]
    for t in temperatures:
        suffix = f"@T{t:g}"
        cols = [c for c in df.columns if c.endswith(suffix)]
        sub = df[["model", "method", *cols, *accuracy]].rename(columns={c: c.removesuffix(suffix) for c in cols})
        blocks.append(f"Sampling temperature {t:g}:\n\n{_markdown(sub)}")
    return "\n".join(blocks)
