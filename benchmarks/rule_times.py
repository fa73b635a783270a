"""Per-rule times from the DAG's `benchmark:` files, as a Markdown table (slowest rule first).

    python benchmarks/rule_times.py [results]

Each rule's jobs: how many, total and largest wall seconds, and the largest max RSS (MiB).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def rule_times(results: Path) -> pd.DataFrame:
    rows = []
    for tsv in sorted((results / "benchmarks").rglob("*.tsv")):
        rule = tsv.relative_to(results / "benchmarks").parts[0].removesuffix(".tsv")
        bench = pd.read_csv(tsv, sep="\t")
        rows.append({"rule": rule, "s": float(bench["s"].iloc[-1]), "max_rss": float(bench["max_rss"].iloc[-1])})
    if not rows:
        sys.exit(f"no benchmark files under {results / 'benchmarks'}: run the DAG first")
    df = pd.DataFrame(rows)
    table = df.groupby("rule").agg(
        jobs=("s", "size"), total_s=("s", "sum"), max_s=("s", "max"), max_rss_mib=("max_rss", "max")
    )
    return table.sort_values("total_s", ascending=False).reset_index()


def main() -> None:
    table = rule_times(Path(sys.argv[1] if len(sys.argv) > 1 else "results"))
    print("| rule | jobs | total s | largest job s | largest max RSS MiB |")
    print("|---|---|---|---|---|")
    for r in table.itertuples():
        print(f"| {r.rule} | {r.jobs} | {r.total_s:.1f} | {r.max_s:.1f} | {r.max_rss_mib:.0f} |")
    print(f"\nsum over jobs: {table.total_s.sum():.0f} s (jobs run 2 at a time on 2 cores)")


if __name__ == "__main__":
    main()
