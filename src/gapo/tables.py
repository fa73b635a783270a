"""The summary table: one row per model and method, the headline numbers as columns."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch

import pandas as pd

from gapo.metrics import js_divergence_from_uniform
from gapo.stats import mean_ci95

CI_PREFIX = "ci95:"  # column of the 95% CI half-width of the column named after the prefix
# The summary's creative-diversity columns (each followed by @T<t>) -> the keys of creative.json
CREATIVE_COLUMNS = {
    "creative_distinct2": "distinct_2",
    "creative_1-selfbleu": "self_bleu_diversity",
    "creative_embedding": "embedding_diversity",
}


def _undefined_as_nan(value: float | None) -> float:
    """A metric file's null (a JSD with no valid answer to measure) as NaN, so that every metric
    column is numeric whatever the runs answered."""
    return math.nan if value is None else value


def summary_table(
    diversity: Mapping[tuple[str, str, int, str], dict],
    accuracy: Mapping[tuple[str, str, int], dict],
    runs: Sequence[tuple[str, str, int]],
    temperatures: Sequence[float],
) -> pd.DataFrame:
    """One row per run (model, method, seed). `diversity[(model, method, seed, task)]` and
    `accuracy[(model, method, seed)]` are the metric files' contents."""
    rows = []
    for model, method, seed in runs:
        row: dict[str, object] = {"model": model, "method": method, "seed": seed}
        for t in temperatures:
            key = f"{t:g}"
            held = diversity[(model, method, seed, "heldout_lists")][key]
            train = diversity[(model, method, seed, "train_lists")][key]
            open_ = diversity[(model, method, seed, "open_ended")][key]
            creative = diversity[(model, method, seed, "creative")][key]
            coherence = diversity[(model, method, seed, "coherence")][key]
            row |= {
                f"heldout_jsd@T{key}": _undefined_as_nan(held["jsd"]),
                f"heldout_nv@T{key}": held["nv"],
                f"heldout_no_valid@T{key}": held["no_valid_prompts"],  # lists left out of the JSD
                f"train_jsd@T{key}": _undefined_as_nan(train["jsd"]),
                f"train_nv@T{key}": train["nv"],
                f"unique@{open_['n']}@T{key}": open_["unique"],
                f"open_nv@T{key}": open_["nv"],
            }
            row |= {f"{column}@T{key}": creative[field] for column, field in CREATIVE_COLUMNS.items()}
            row[f"creative_coherence@T{key}"] = coherence["coherence"]
        for task, score in accuracy[(model, method, seed)].items():
            row[f"acc_{task}"] = score["value"]
        rows.append(row)
    return pd.DataFrame(rows)


def aggregate_seeds(per_seed: pd.DataFrame, keys: Sequence[str] = ("model", "method")) -> pd.DataFrame:
    """Per value of `keys` (model and method by default): the mean of every metric over seeds, its
    95% CI half-width in a `ci95:<metric>` column (NaN with one seed), and the number of seeds.

    A metric undefined for a seed (NaN: a JSD where no list got a valid answer, which the NV and
    no-valid columns show) is averaged over the seeds that define it; NaN if none does."""
    metrics = [c for c in per_seed.columns if c not in (*keys, "seed", "rewards")]
    rows = []
    for values, group in per_seed.groupby(list(keys), sort=False):
        row: dict[str, object] = dict(zip(keys, values, strict=True))
        if "rewards" in group:
            row["rewards"] = group["rewards"].iloc[0]
        row["seeds"] = len(group)
        for c in metrics:
            defined = [v for v in group[c].astype(float).tolist() if not math.isnan(v)]
            mean, half = mean_ci95(defined) if defined else (math.nan, math.nan)
            row[c], row[CI_PREFIX + c] = mean, half
        rows.append(row)
    return pd.DataFrame(rows)


def _number(column: str, value: float) -> str:
    if column == "temperature":
        return f"{value:g}"
    if column.endswith("no_valid"):  # a count of prompts
        return f"{value:.1f}"
    return f"{100 * value:.1f}%" if ("nv" in column or column.startswith("acc")) else f"{value:.3f}"


def _cell(column: str, value: object, half: object = None) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "n/a"  # nothing to measure: a JSD with no valid answer
    if isinstance(value, float):
        text = _number(column, value)
        if isinstance(half, float) and not math.isnan(half):
            text += " ± " + _number(column, half).removesuffix("%")
        return text
    return str(value)


def markdown_table(df: pd.DataFrame) -> str:
    """A Markdown table; a column with a `ci95:` twin shows "mean ± half-width" (95% CI over seeds)."""
    shown = [c for c in df.columns if not c.startswith(CI_PREFIX)]
    lines = ["| " + " | ".join(shown) + " |", "|" + "|".join("---" for _ in shown) + "|"]
    for _, row in df.iterrows():
        cells = [_cell(c, row[c], row.get(CI_PREFIX + c)) for c in shown]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def temperature_view(df: pd.DataFrame, temperature: float, keep: Sequence[str] = ("model", "method")) -> pd.DataFrame:
    """The columns of one sampling temperature (suffix dropped), accuracy, and their CI twins."""
    suffix = f"@T{temperature:g}"
    cols = [c for c in df.columns if c.removeprefix(CI_PREFIX).endswith(suffix)]
    accuracy = [c for c in df.columns if c.removeprefix(CI_PREFIX).startswith("acc_")]
    return df[[*keep, *cols, *accuracy]].rename(columns={c: c.removesuffix(suffix) for c in cols})


def accuracy_table(df: pd.DataFrame) -> pd.DataFrame:
    """The paper's accuracy table: per model and method, every task's score with its 95% CI."""
    cols = [c for c in df.columns if c.removeprefix(CI_PREFIX).startswith("acc_")]
    return df[["model", "method", "seeds", *cols]]


def diversity_table(df: pd.DataFrame, temperatures: Sequence[float]) -> pd.DataFrame:
    """The paper's diversity table: one row per model, method and temperature, every diversity metric
    (JSD and NV on held-out and training lists, Unique@N, creative diversity and coherence)."""
    blocks = []
    for t in temperatures:
        view = temperature_view(df, t, keep=("model", "method", "seeds"))
        view = view[[c for c in view.columns if not c.removeprefix(CI_PREFIX).startswith("acc_")]]
        blocks.append(view.assign(temperature=t))
    out = pd.concat(blocks, ignore_index=True)
    first = ["model", "method", "temperature"]
    return out[[*first, *(c for c in out.columns if c not in first)]]


def summary_markdown(
    df: pd.DataFrame,
    temperatures: Sequence[float],
    per_seed: pd.DataFrame | None = None,
    target_models: Sequence[str] | None = None,
    real_models: Sequence[str] = (),
) -> str:
    """One Markdown table per sampling temperature (accuracy is greedy, so the same in each);
    values are means over seeds with their 95% CI. The targets are checked on `per_seed` (the rows
    `aggregate_seeds` averaged), or on `df` itself as one seed: the stand-in's (TARGETS) for
    `target_models` (all by default), a real LLM's (REAL_TARGETS) for `real_models`."""
    seeds = int(df["seeds"].min()) if "seeds" in df else 1
    standin_rows = df if target_models is None else df[df["model"].isin(list(target_models))]
    pretraining = " (and of the stand-in's pretraining: each seed pretrains its own base)" if len(standin_rows) else ""
    blocks = [
        f"Mean over {seeds} seed{'s' if seeds > 1 else ''} of RL training and sampling{pretraining}"
        + (" ± the 95% confidence interval.\n" if seeds > 1 else " (no interval with one seed).\n")
    ]
    for t in temperatures:
        blocks.append(f"Sampling temperature {t:g}:\n\n{markdown_table(temperature_view(df, t))}")
    judged = df if per_seed is None else per_seed
    standin = judged if target_models is None else judged[judged["model"].isin(list(target_models))]
    real = judged[judged["model"].isin(list(real_models))]
    checks = pd.concat(
        [target_checks(standin, temperatures[0]), target_checks(real, temperatures[0], REAL_TARGETS)],
        ignore_index=True,
    )
    if not checks.empty:
        blocks.append(
            f"Targets at temperature {temperatures[0]:g} (judged on the mean over seeds; ± the 95% CI; "
            "settled: the target lies outside the CI, so other seeds or another machine are not expected "
            "to turn the verdict):\n\n" + markdown_table(checks)
        )
    return "\n".join(blocks)


@dataclass(frozen=True)
class Target:
    """One claim the study must show, checked on the summary table at the headline temperature."""

    claim: str
    method: str
    column: str
    bound: str  # ">=" or "<="
    value: float
    # "": the value itself; "ratio": value / the reference's; "below": reference's - value;
    # "above": value - reference's
    against_base: str = ""
    reference: str = "base"  # the method compared against
    # met when the mean is within its 95% CI of the bound ("no lower beyond the CI"), not only the mean
    within_ci: bool = False


# The paper's story on the stand-in: the default run's targets. GAPO's bar is the stand-in's measured
# frontier, not the paper's JSD <= 0.1, which this 0.7M-parameter model cannot reach (docs/stand-in.md).
TARGETS: tuple[Target, ...] = (
    Target("base collapsed on held-out lists", "base", "heldout_jsd", ">=", 0.3),
    Target("base valid on held-out lists", "base", "heldout_nv", "<=", 0.02),
    Target("base accurate", "base", "acc_*", ">=", 0.95),
    Target("GAPO flattens held-out lists", "gapo", "heldout_jsd", "<=", 0.45),
    Target("GAPO flattens held-out lists", "gapo", "heldout_jsd", ">=", 0.15, against_base="below"),
    Target("GAPO stays valid on held-out lists", "gapo", "heldout_nv", "<=", 0.03),
    Target("GAPO Unique@N at least 1.5x base", "gapo", "unique@*", ">=", 1.5, against_base="ratio"),
    Target("GAPO accuracy within 2 points of base", "gapo", "acc_*", "<=", 0.02, against_base="below"),
    Target("GRPO ablation stays collapsed", "grpo", "heldout_jsd", "<=", 0.02, against_base="below"),
)


# A real instruction-tuned LLM (issue "GAPO on a real LLM"): the paper's claims at T=0.7 on held-out
# lists. The base is reported, not judged: it is off format half the time, which keeps its JSD low.
REAL_TARGETS: tuple[Target, ...] = (
    Target("GRPO learns the format", "grpo", "heldout_nv", "<=", 0.05),
    Target("GRPO collapses", "grpo", "heldout_jsd", ">=", 0.3),
    Target("GAPO learns the format", "gapo", "heldout_nv", "<=", 0.05),
    Target("GAPO NV at most GRPO's + 2 points", "gapo", "heldout_nv", "<=", 0.02, "above", "grpo"),
    Target("GAPO spreads (paper: < 0.1)", "gapo", "heldout_jsd", "<=", 0.1),
    Target("GAPO Unique@N at least 2x GRPO", "gapo", "unique@*", ">=", 2.0, "ratio", "grpo"),
    Target("GAPO Unique@N at least 1.5x base", "gapo", "unique@*", ">=", 1.5, "ratio"),
    Target("GAPO keeps its skills (within the 95% CI)", "gapo", "acc_*", "<=", 0.0, "below", within_ci=True),
)


def _against_base(t: Target, value: float, base: float) -> float:
    if t.against_base == "ratio":
        return value / base if base else (math.inf if value else math.nan)  # a base at 0
    if t.against_base == "below":
        return base - value
    if t.against_base == "above":
        return value - base
    return value


def target_checks(per_seed: pd.DataFrame, temperature: float, targets: Sequence[Target] = TARGETS) -> pd.DataFrame:
    """Each target against its measured value, per model: the mean over seeds with its 95% CI.

    `per_seed` has one row per model, method and seed (`summary_table`); a frame without a `seed`
    column counts as one seed. A value relative to the base model (or the target's reference
    method) is taken seed by seed, against its row of the same seed. The verdict is on the mean, or
    on the end of its 95% CI nearest the bound for a `within_ci` target. `settled` says whether the
    bound lies outside the CI ("" with one seed): a verdict whose bound lies inside it can turn on
    another machine, whose floating-point path draws other seeds' results. Targets whose methods
    are absent are skipped.
    """
    df = per_seed if "seed" in per_seed else per_seed.assign(seed=0)
    suffix = f"@T{temperature:g}"
    rows = []
    for model, sub in df.groupby("model", sort=False):
        by_seed = [g.set_index("method") for _, g in sub.groupby("seed", sort=True)]
        for t in targets:
            runs = [g for g in by_seed if t.method in g.index and (not t.against_base or t.reference in g.index)]
            if not runs:
                continue
            for column in df.columns:
                name = column.removesuffix(suffix)
                if not (column.startswith("acc_") or column.endswith(suffix)) or not fnmatch(name, t.column):
                    continue
                values = [
                    _against_base(
                        t, float(g.loc[t.method, column]), float(g.loc[t.reference, column]) if t.against_base else 0
                    )
                    for g in runs
                ]
                values = [v for v in values if not math.isnan(v)]  # undefined for a seed (no valid answer)
                if not values:
                    continue
                mean, half = mean_ci95(values) if all(map(math.isfinite, values)) else (min(values), math.nan)
                mean = round(mean, 6)  # 1.0 - 0.98 is 2 points, not a hair more
                slack = (0.0 if math.isnan(half) else half) if t.within_ci else 0.0
                met = mean + slack >= t.value if t.bound == ">=" else mean - slack <= t.value
                # settled: the bound lies outside the CI, so other seeds or another machine's path
                # are not expected to turn the verdict; inside it, the mean can land on either side
                settled = "" if math.isnan(half) else ("yes" if abs(mean - t.value) > half else "no")
                ref = t.reference
                label = {"ratio": f"{name} / {ref}", "below": f"{ref} - {name}", "above": f"{name} - {ref}"}.get(
                    t.against_base, name
                )
                rows.append(
                    {
                        "model": model,
                        "claim": t.claim,
                        "metric": label,
                        "measured": mean,
                        CI_PREFIX + "measured": half,
                        "seeds": len(values),
                        "target": f"{t.bound} {t.value:g}" + (" within the CI" if t.within_ci else ""),
                        "met": "yes" if met else "no",
                        "settled": settled,
                    }
                )
    return pd.DataFrame(rows)


def base_vs_data_table(prompts: Sequence[dict], metrics: Mapping[str, dict]) -> pd.DataFrame:
    """Per topic, the base model's answers on evaluation lists against the corpus' answer distribution.

    `prompts` are evaluation list records (with `data_distribution`); `metrics` is the base model's
    list-metrics file (per temperature). Shows how the collapse was built: the model against its data.
    """
    rows = []
    for p in prompts:
        data = p["data_distribution"]
        row: dict[str, object] = {
            "topic": p["topic"],
            "list": p["id"],
            "data_jsd": js_divergence_from_uniform(data, p["valid"]),
            "data_top1": max(data.values()),
            "data_min": min(data.get(v, 0.0) for v in p["valid"]),
        }
        for t, res in metrics.items():
            dist = res["prompts"][p["id"]]["distribution"]
            row |= {
                f"base_jsd@T{t}": res["prompts"][p["id"]]["jsd"],
                f"base_top1@T{t}": max(dist[v] for v in p["valid"]),
                f"base_min@T{t}": min(dist[v] for v in p["valid"]),
                f"base_nv@T{t}": dist["NV"],
            }
        rows.append(row)
    return pd.DataFrame(rows)


def describe_method(method_cfg: Mapping[str, object]) -> str:
    """A method's rewards and overridden settings, in a few words (e.g. "frequency_aware(abs); G=16")."""
    parts = []
    for r in method_cfg["rewards"]:  # type: ignore[union-attr]
        opts = ", ".join(f"{v}" if k == "form" else f"{k}={v}" for k, v in r.get("options", {}).items())
        weight = f"{r['weight']:g}*" if r.get("weight", 1.0) != 1.0 else ""
        parts.append(f"{weight}{r['name']}" + (f"({opts})" if opts else ""))
    text = " + ".join(parts)
    settings = dict(method_cfg.get("settings", {}))  # type: ignore[arg-type]
    if "num_generations" in settings:
        text += f"; G={settings.pop('num_generations')}"
    text += "".join(f"; {k}={v}" for k, v in settings.items() if k != "prompts_per_step")
    if method_cfg.get("prompts", "lists") != "lists":
        text += f"; {method_cfg['prompts']} prompts"
    return text


def ablation_markdown(df: pd.DataFrame, temperature: float) -> str:
    """The ablation table at one temperature: every compared method, its rewards, its headline numbers."""
    view = temperature_view(df, temperature, keep=("model", "method", "rewards", "seeds"))
    return f"Sampling temperature {temperature:g}:\n\n{markdown_table(view)}"


def temperature_frame(points: dict[tuple[str, str, int], dict]) -> pd.DataFrame:
    """One row per (model, method, seed, temperature): jsd, nv and acc_<task> columns."""
    rows = []
    for (model, method, seed), point in points.items():
        for t, values in point.items():
            rows.append(
                {
                    "model": model,
                    "method": method,
                    "seed": seed,
                    "temperature": float(t),
                    "jsd": values["jsd"],
                    "nv": values["nv"],
                    **{f"acc_{k}": v for k, v in values["accuracy"].items()},
                }
            )
    return pd.DataFrame(rows)


def temperature_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Per (model, method, temperature): each metric's mean over seeds and its 95% CI half-width."""
    return aggregate_seeds(frame, keys=("model", "method", "temperature"))
