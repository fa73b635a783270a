"""Draw a finished run's per-step and creative figures again from its published per-seed files.

    python experiments/stored_run_figures.py docs/results/smollm2_h200 --suffix smollm2

A run on a remote GPU machine may bring back only small files (docs/results/<run>/): its
curves_<method>_seed<s>.csv, probe_<method>_seed<s>.csv and summary_per_seed.csv, not its adapters
or samples. This draws the DAG's own figures from them, with the DAG's plotting functions, into
docs/figures/<figure>_<suffix>.png: training_curves from the curves files, fig_rl_steps from the
probe files, and fig_creative from the per-seed creative columns of the summary (`gapo.tables`
writes them from creative.json and coherence.json, at each evaluation temperature).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

from gapo.plotting import creative_diversity_coherence, rl_steps, save_figure, training_curves
from gapo.tables import CREATIVE_COLUMNS


def stored_per_step(run: Path, kind: str, model: str) -> dict[tuple[str, str, int], pd.DataFrame]:
    """Each <kind>_<method>_seed<s>.csv of `run` (kind: curves or probe), keyed by (model, method, seed)."""
    frames = {}
    for path in sorted(run.glob(f"{kind}_*_seed*.csv")):
        method, seed = re.fullmatch(rf"{kind}_(\w+)_seed(\d+)\.csv", path.name).groups()
        frames[(model, method, int(seed))] = pd.read_csv(path)
    if not frames:
        raise SystemExit(f"{run}: no {kind}_<method>_seed<s>.csv files")
    return frames


def stored_creative(run: Path) -> tuple[dict, dict]:
    """creative.json- and coherence.json-shaped maps, keyed by (model, method, seed), from the
    per-seed summary's creative_*@T<t> columns."""
    table = pd.read_csv(run / "summary_per_seed.csv")
    temperatures = sorted({c.split("@T")[1] for c in table.columns if c.startswith("creative_coherence@T")})
    if not temperatures:
        raise SystemExit(f"{run}/summary_per_seed.csv has no creative_coherence@T<t> column")
    creative, coherence = {}, {}
    for row in table.to_dict("records"):
        key = (row["model"], row["method"], int(row["seed"]))
        creative[key] = {t: {k: row[f"{c}@T{t}"] for c, k in CREATIVE_COLUMNS.items()} for t in temperatures}
        coherence[key] = {t: {"coherence": row[f"creative_coherence@T{t}"]} for t in temperatures}
    return creative, coherence


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", type=Path, help="a folder of docs/results/")
    ap.add_argument("--suffix", required=True, help="figure names end in _<suffix>.png")
    ap.add_argument("--figures", type=Path, default=Path("docs/figures"))
    ap.add_argument("--probe-temperature", type=float, default=0.7, help="the run's rl.probe.temperature")
    args = ap.parse_args()
    creative, coherence = stored_creative(args.run)
    model = next(iter(creative))[0]
    methods = list(dict.fromkeys(method for _, method, _ in creative))
    for name, fig in (
        ("training_curves", training_curves(stored_per_step(args.run, "curves", model))),
        ("fig_rl_steps", rl_steps(stored_per_step(args.run, "probe", model), args.probe_temperature)),
        ("fig_creative", creative_diversity_coherence(creative, coherence, methods)),
    ):
        path = args.figures / f"{name}_{args.suffix}.png"
        save_figure(fig, [str(path)])
        print(path)


if __name__ == "__main__":
    main()
