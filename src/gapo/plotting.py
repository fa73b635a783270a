"""The paper's figures, drawn with seaborn from the DAG's metric files."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.ticker import PercentFormatter

from gapo.io import save_with
from gapo.stats import ci95_interval, mean_ci95

# Colour-blind safe (seaborn's "colorblind", after Okabe and Ito): the main methods keep their colours.
COLORBLIND = sns.color_palette("colorblind").as_hex()
METHOD_PALETTE = {"base": COLORBLIND[7], "gapo": COLORBLIND[0], "grpo": COLORBLIND[3]}


def _palette(methods: Sequence[str]) -> dict[str, str]:
    """A fixed colour for base, gapo and grpo; the other methods take the remaining colour-blind safe ones."""
    spare = iter([c for c in COLORBLIND if c not in METHOD_PALETTE.values()] * 3)
    return {m: METHOD_PALETTE.get(m.rsplit("/", 1)[-1]) or next(spare) for m in methods}


def save_figure(fig: plt.Figure, paths: Iterable[str]) -> None:
    """Write `fig` to each path (PNG for reading, PDF for papers), atomically; the suffix picks the format."""
    for path in paths:
        save_with(path, lambda tmp: fig.savefig(tmp, dpi=120, bbox_inches="tight"))
    plt.close(fig)


def _over_seeds(n: int) -> str:
    """What a figure's numbers are: a mean with its interval over seeds, or one seed's value."""
    return f"mean and 95% CI over {n} seeds" if n > 1 else "1 seed, no interval"


def label_bars(ax: plt.Axes, fmt: str = "{:.2f}") -> None:
    """Write each bar's value just above the bar and its error bar, so that label and whisker never
    overlap, and raise the axis' top to fit. Seaborn draws each error bar as a vertical two-point line."""
    whisker_tops = {
        round(float(line.get_xdata()[0]), 6): float(max(line.get_ydata()))
        for line in ax.lines
        if len(line.get_xdata()) == 2 and line.get_xdata()[0] == line.get_xdata()[1]
    }
    heights = []
    for bar in ax.patches:
        x, value = bar.get_x() + bar.get_width() / 2, bar.get_height()
        if value != value:  # NaN: a missing bar
            continue
        top = max(value, whisker_tops.get(round(x, 6), value))
        ax.annotate(
            fmt.format(value), (x, top), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
            fontsize=7,
        )  # fmt: skip
        heights.append(top)
    if heights:
        low, high = ax.get_ylim()
        ax.set_ylim(low, max(high, max(heights) + 0.12 * (max(heights) - min(low, 0))))


def _name_prompt(topic: str) -> str:
    return f"name {'an' if topic[:1] in 'aeiou' else 'a'} {topic}"


def fig2_bias(bias: Mapping[str, dict]) -> plt.Figure:
    """Fig. 2: top-1 and top-2 answer probability (a) per instruction, (b) over shuffled lists."""
    rows = []
    for model, result in bias.items():
        for setting, res in result.items():
            if not isinstance(res, dict) or "top1" not in res:
                continue
            label = "shuffled lists" if setting == "shuffled" else textwrap.fill(res["prompt"].split(" :")[0], 22)
            for rank in ("top1", "top2"):
                rows.append(
                    {
                        "model": model,
                        "setting": label,
                        "rank": "largest" if rank == "top1" else "second largest",
                        "p": res[rank]["p"],
                        "item": res[rank]["item"],
                    }
                )
    df = pd.DataFrame(rows)
    models = list(bias)
    fig, axes = plt.subplots(len(models), 2, figsize=(11, 3.8 * len(models)), squeeze=False)
    for r, model in enumerate(models):
        shuffled = bias[model]["shuffled"]
        sub = df[df.model == model]
        ax = axes[r][0]
        sns.barplot(data=sub, x="setting", y="p", hue="rank", ax=ax, palette=["#1f77b4", "#aec7e8"])
        for container, (_, group) in zip(ax.containers, sub.groupby("rank", sort=False), strict=False):
            ax.bar_label(container, labels=list(group["item"]), fontsize=8)
        uniform = 1 / (len(shuffled["distribution"]) - 1)
        ax.axhline(uniform, ls="--", c="k", lw=1, label="uniform")
        ax.set(
            ylim=(0, 1.05),
            xlabel="",
            ylabel="answer probability",
            title=f"{model}: (a) one list, two instructions; (b) shuffled",
        )
        ax.legend(fontsize=8, loc="center right")
        dist = shuffled["distribution"]
        order = [*sorted((k for k in dist if k != "NV"), key=lambda k: -dist[k]), "NV"]
        ax = axes[r][1]
        sns.barplot(x=order, y=[dist[k] for k in order], ax=ax, color="#1f77b4")
        ax.axhline(uniform, ls="--", c="k", lw=1)
        ax.set(ylim=(0, 1.05), ylabel="share of answers", title=f"{model}: answers over {shuffled['n']} shuffled lists")
        ax.tick_params(axis="x", rotation=45)
    fig.tight_layout()
    return fig


Run = tuple[str, str, int]  # (model, method, seed)


def _models(runs: Sequence[Run]) -> list[str]:
    return list(dict.fromkeys(m for m, _, _ in runs))


def fig4_list_sampling(
    metrics: Mapping[Run, dict], topics: Sequence[str], temperature: str, methods: Sequence[str]
) -> plt.Figure:
    """Fig. 4: answer distributions on held-out lists of `topics`, NV its own bar; mean JSD per method.
    Bars are means over seeds with 95% confidence intervals."""
    models = _models(list(metrics))
    palette = _palette(methods)
    fig, axes = plt.subplots(
        len(models),
        len(topics) + 1,
        figsize=(5.2 * len(topics) + 3.5, 3.8 * len(models)),
        squeeze=False,
        gridspec_kw={"width_ratios": [3] * len(topics) + [1.3]},
    )
    for r, model in enumerate(models):
        runs = [run for run in metrics if run[0] == model]
        for c, topic in enumerate(topics):
            rows = []
            for _, method, seed in runs:
                prompts = metrics[(model, method, seed)][temperature]["prompts"]
                pid = next(pid for pid, p in prompts.items() if p["topic"] == topic)
                for item, share in prompts[pid]["distribution"].items():
                    rows.append({"method": method, "seed": seed, "answer": item, "share": share})
            df = pd.DataFrame(rows)
            items = [i for i in df.answer.unique() if i != "NV"]
            first = df[df.method == methods[0]].groupby("answer").share.mean()
            order = [*sorted(items, key=lambda i: -first[i]), "NV"]
            ax = axes[r][c]
            sns.barplot(
                data=df,
                x="answer",
                y="share",
                hue="method",
                hue_order=methods,
                order=order,
                palette=palette,
                errorbar=ci95_interval,
                err_kws={"linewidth": 1},
                ax=ax,
            )
            ax.axhline(1 / len(items), ls="--", c="k", lw=1, label="uniform")
            ax.set(
                ylim=(0, 1.0),
                xlabel="",
                ylabel="share of answers",
                title=f"{model}: ({'ab'[c] if c < 2 else c}) {topic}",
            )
            ax.tick_params(axis="x", rotation=45)
            ax.legend(fontsize=8)
        jsd = pd.DataFrame([{"method": m, "JSD": metrics[(model, m, s)][temperature]["jsd"]} for _, m, s in runs])
        ax = axes[r][-1]
        sns.barplot(
            data=jsd, x="method", y="JSD", hue="method", order=methods, palette=palette, errorbar=ci95_interval,
            ax=ax, legend=False,
        )  # fmt: skip
        ax.set(ylim=(0, 1), xlabel="", ylabel="JSD from uniform", title="(c) mean over held-out lists")
        label_bars(ax, "{:.3f}")
    seeds = len({s for _, _, s in metrics})
    fig.suptitle(f"Choosing from a list, held-out topics, T={temperature} ({_over_seeds(seeds)})")
    fig.tight_layout()
    return fig


def fig5_open_set(
    metrics: Mapping[Run, dict], topics: Sequence[str], temperature: str, methods: Sequence[str]
) -> plt.Figure:
    """Fig. 5: cumulative unique answers over N samples for two prompts, and mean Unique@N
    (means over seeds; bands and bars show 95% confidence intervals)."""
    models = _models(list(metrics))
    palette = _palette(methods)
    fig, axes = plt.subplots(
        len(models), len(topics) + 1, figsize=(4.5 * (len(topics) + 1), 3.6 * len(models)), squeeze=False
    )
    for r, model in enumerate(models):
        runs = [run for run in metrics if run[0] == model]
        for c, topic in enumerate(topics):
            ax = axes[r][c]
            for method in methods:
                curves = [metrics[run][temperature]["prompts"][topic]["curve"] for run in runs if run[1] == method]
                steps = range(1, min(len(cv) for cv in curves) + 1)
                bands = [ci95_interval([cv[i - 1] for cv in curves]) for i in steps]
                means = [sum(cv[i - 1] for cv in curves) / len(curves) for i in steps]
                ax.plot(steps, means, label=method, color=palette[method])
                # A count is never negative: the band shows the interval within what can be observed.
                low = [max(b[0], 0.0) for b in bands]
                ax.fill_between(steps, low, [b[1] for b in bands], color=palette[method], alpha=0.2)
            ax.set(
                xlabel="samples",
                ylabel="unique valid answers",
                title=f"{model}: ({'ab'[c] if c < 2 else c}) {_name_prompt(topic)}",
            )
            ax.legend(fontsize=8)
        n = metrics[runs[0]][temperature]["n"]
        uniq = pd.DataFrame(
            [{"method": m, "unique": metrics[(model, m, s)][temperature]["unique"]} for _, m, s in runs]
        )
        ax = axes[r][-1]
        sns.barplot(
            data=uniq, x="method", y="unique", hue="method", order=methods, palette=palette, errorbar=ci95_interval,
            ax=ax, legend=False,
        )  # fmt: skip
        ax.set(
            xlabel="",
            ylabel=f"Unique@{n}",
            title=f"(c) mean over {len(metrics[runs[0]][temperature]['prompts'])} categories",
        )
        label_bars(ax, "{:.1f}")
    seeds = len({s for _, _, s in metrics})
    fig.suptitle(f"Open-ended prompts, T={temperature} ({_over_seeds(seeds)})")
    fig.tight_layout()
    return fig


CURVE_PANELS = {
    "reward": "reward (mean)",
    "reward_std": "reward (std within groups)",
    "groups/valid_fraction": "valid answers (share)",
    "groups/distinct_answers": "distinct valid answers per group",
    "frac_reward_zero_std": "groups with no reward signal",
    "kl": "KL to the reference",
}


def _per_step_panels(per_run: Mapping[Run, pd.DataFrame], panels: Mapping[str, str]) -> pd.DataFrame:
    """Long form of per-step frames, one per (model, method, seed) run: step, quantity (the panel's
    label, for each column of `panels` a frame has), value, run (the method, or model/method when
    there are several models) and seed."""
    one_model = len({m for m, _, _ in per_run}) == 1
    frames = []
    for (model, method, seed), df in per_run.items():
        columns = [c for c in panels if c in df.columns]
        long = df.melt(id_vars="step", value_vars=columns, var_name="quantity", value_name="value")
        frames.append(long.assign(run=method if one_model else f"{model}/{method}", seed=seed))
    data = pd.concat(frames, ignore_index=True)
    data["quantity"] = data["quantity"].map(panels)
    return data


def steps_every_seed_logged(per_run: Mapping[Run, pd.DataFrame]) -> dict[Run, pd.DataFrame]:
    """Each run's rows at the steps that every seed of its (model, method) logged. Runs stopped at a
    wall clock end at different steps and log their last step off the common grid; a mean over
    fewer seeds there would jump, and its interval widen, for no reason of the method's."""
    shared: dict[tuple[str, str], set[int]] = {}
    for (model, method, _), df in per_run.items():
        steps = set(df["step"].astype(int))
        shared[(model, method)] = shared.get((model, method), steps) & steps
    return {run: df[df["step"].astype(int).isin(shared[run[:2]])] for run, df in per_run.items()}


def training_curves(curves: Mapping[Run, pd.DataFrame]) -> plt.Figure:
    """Training curves of every (model, method, seed) run, one panel per logged quantity; a method's
    seeds are averaged, with a 95% confidence band.

    Rewards are on each method's own scale (GAPO's and GRPO's rewards differ); the valid share and
    distinct answers per group compare directly. A method's curves keep the steps all its seeds
    logged.
    """
    data = _per_step_panels(steps_every_seed_logged(curves), CURVE_PANELS)
    order = [label for label in CURVE_PANELS.values() if label in set(data["quantity"])]
    runs = list(dict.fromkeys(data["run"]))
    grid = sns.relplot(
        data=data,
        x="step",
        y="value",
        hue="run",
        col="quantity",
        col_order=order,
        col_wrap=3,
        kind="line",
        errorbar=ci95_interval,
        palette=_palette(runs),
        height=2.8,
        aspect=1.3,
        facet_kws={"sharey": False},
    )
    grid.set_titles("{col_name}")
    grid.set_axis_labels("training step", "")
    seeds = len({s for _, _, s in curves})
    grid.figure.suptitle(f"RL training curves ({_over_seeds(seeds)})", y=1.06)
    return grid.figure


def _within_unit_interval(values: pd.Series) -> tuple[float, float]:
    """The 95% CI of a share or a JSD, which cannot leave [0, 1] (with few seeds the t interval does)."""
    low, high = ci95_interval(values)
    return max(low, 0.0), min(high, 1.0)


def rl_steps(probes: Mapping[Run, pd.DataFrame], temperature: float) -> plt.Figure:
    """Held-out JSD and NV against RL steps (gapo.probe), one line per method, seeds averaged with a
    95% confidence band: whether a method learns the format first and spreads after, or collapses.
    A method's line keeps the checkpoints all its seeds logged."""
    panels = {"jsd": ABLATION_PANELS["heldout_jsd"][0], "nv": ABLATION_PANELS["heldout_nv"][0]}
    long = _per_step_panels(steps_every_seed_logged(probes), panels)
    runs = list(dict.fromkeys(long["run"]))
    grid = sns.relplot(
        data=long,
        x="step",
        y="value",
        hue="run",
        col="quantity",
        kind="line",
        marker="o",
        errorbar=_within_unit_interval,
        palette=_palette(runs),
        height=3.0,
        aspect=1.3,
        facet_kws={"sharey": False},
    )
    grid.set_titles("{col_name}")
    grid.set_axis_labels("RL step", "")
    for ax in grid.axes.flat:
        ax.set_ylim(bottom=0)
    grid.axes.flat[1].yaxis.set_major_formatter(PercentFormatter(1.0))
    seeds = len({s for _, _, s in probes})
    samples = int(max(df["samples"].max() for df in probes.values()))
    grid.figure.suptitle(
        f"Held-out lists during RL, T={temperature:g}, {samples} samples a checkpoint ({_over_seeds(seeds)})", y=1.06
    )
    return grid.figure


# Each panel's title and how it writes its values: shares as percentages, the rest to their digits.
ABLATION_PANELS = {
    "heldout_jsd": ("held-out JSD from uniform (lower = more uniform)", "{:.3f}"),
    "heldout_nv": ("held-out NV (not valid)", "{:.1%}"),
    "train_jsd": ("training-topic JSD from uniform", "{:.3f}"),
    "unique": ("Unique@N, open-ended", "{:.1f}"),
    "creative_distinct2": ("distinct-2, creative", "{:.3f}"),
    "acc": ("accuracy (mean of the accuracy tasks)", "{:.1%}"),
}


def ablation_figure(table: pd.DataFrame, methods: Sequence[str], temperature: float, title: str) -> plt.Figure:
    """One bar per method in each panel: diversity, validity and accuracy of an ablation study.
    `table` has one row per (model, method, seed); bars are means with 95% confidence intervals."""
    suffix = f"@T{temperature:g}"
    rows = []
    for _, row in table[table.method.isin(methods)].iterrows():
        values = {
            "heldout_jsd": row[f"heldout_jsd{suffix}"],
            "heldout_nv": row[f"heldout_nv{suffix}"],
            "train_jsd": row[f"train_jsd{suffix}"],
            "unique": next(row[c] for c in table.columns if c.startswith("unique@") and c.endswith(suffix)),
            "creative_distinct2": row[f"creative_distinct2{suffix}"],
            "acc": row[[c for c in table.columns if c.startswith("acc_")]].mean(),
        }
        label = row["method"] if table.model.nunique() == 1 else f"{row['model']}/{row['method']}"
        rows += [{"run": label, "quantity": ABLATION_PANELS[k][0], "value": float(v)} for k, v in values.items()]
    data = pd.DataFrame(rows)
    runs = sorted(dict.fromkeys(data["run"]), key=lambda run: list(methods).index(run.rsplit("/", 1)[-1]))
    grid = sns.catplot(
        data=data,
        x="run",
        y="value",
        hue="run",
        col="quantity",
        col_order=[panel for panel, _ in ABLATION_PANELS.values()],
        col_wrap=3,
        kind="bar",
        errorbar=ci95_interval,
        palette=_palette(runs),
        order=runs,
        height=2.9,
        aspect=1.25,
        sharey=False,
        legend=False,
    )
    for panel, fmt in ABLATION_PANELS.values():
        ax = grid.axes_dict[panel]
        label_bars(ax, fmt)
        if fmt.endswith("%}"):
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))  # decimals as the ticks need
    for ax in grid.axes.flat:
        ax.tick_params(axis="x", rotation=40)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
    grid.set_titles("{col_name}", size=9)
    grid.set_axis_labels("", "")
    seeds = table["seed"].nunique()
    grid.figure.suptitle(f"{title} (T={temperature:g}; {_over_seeds(seeds)})", y=1.03)
    return grid.figure


CREATIVE_PANELS = {
    "self_bleu_diversity": "1 - Self-BLEU",
    "embedding_diversity": "embedding diversity (mean cosine distance)",
    "distinct_2": "distinct-2",
}


def creative_diversity_coherence(
    creative: Mapping[Run, dict], coherence: Mapping[Run, dict], methods: Sequence[str]
) -> plt.Figure:
    """Creative writing: each diversity measure against coherence (likelihood under the base model),
    one point per method and temperature (mean over seeds, with 95% CI bars on both axes when there
    are several), a method's temperatures joined by a line."""
    rows = []
    one_model = len({k for k, _, _ in creative}) == 1
    for (model, method, seed), by_t in creative.items():
        for t, m in by_t.items():
            run = method if one_model else f"{model}/{method}"
            point = {"run": run, "T": t, "seed": seed, "coherence": coherence[(model, method, seed)][t]["coherence"]}
            rows += [point | {"quantity": label, "diversity": m[key]} for key, label in CREATIVE_PANELS.items()]
    per_seed = pd.DataFrame(rows).groupby(["run", "T", "quantity"], sort=False)[["coherence", "diversity"]]
    data = per_seed.mean().reset_index()
    half = per_seed.agg(lambda v: mean_ci95(v.tolist())[1]).reset_index()  # NaN for one seed: no bar
    runs = list(dict.fromkeys(data["run"]))
    palette = _palette(runs)
    fig, axes = plt.subplots(1, len(CREATIVE_PANELS), figsize=(5 * len(CREATIVE_PANELS), 4), squeeze=False)
    for ax, label in zip(axes[0], CREATIVE_PANELS.values(), strict=True):
        sub = data[data.quantity == label]
        for run, group in sub.groupby("run", sort=False):
            group = group.sort_values("T")
            ax.plot(group["coherence"], group["diversity"], color=palette[run], lw=1, alpha=0.6)
            bars = half.loc[group.index]
            ax.errorbar(
                group["coherence"], group["diversity"], xerr=bars["coherence"], yerr=bars["diversity"],
                fmt="none", ecolor=palette[run], elinewidth=1, capsize=3, alpha=0.6,
            )  # fmt: skip
        sns.scatterplot(data=sub, x="coherence", y="diversity", hue="run", style="T", palette=palette, s=70, ax=ax)
        ax.set(xlabel="coherence (token likelihood under the base model)", ylabel=label, title=label)
        ax.legend(fontsize=7)
    seeds = len({s for _, _, s in creative})
    fig.suptitle(f"Creative prompts: diversity against coherence, up and right is better ({_over_seeds(seeds)})")
    fig.tight_layout()
    return fig


TEMPERATURE_PANELS = {
    "jsd": "held-out JSD from uniform (lower = more uniform)",
    "nv": "held-out NV (not valid)",
    "acc": "accuracy, answers sampled at T",
}


def fig_temperature(frame: pd.DataFrame, headline: float) -> plt.Figure:
    """The temperature baseline: the base model over a sweep of temperatures (line, 95% CI band)
    against the trained methods at the headline temperature (points, 95% CI bars). `frame` has one
    row per (model, method, seed, temperature) with jsd, nv and acc_<task> columns."""
    acc = [c for c in frame.columns if c.startswith("acc_")]
    data = frame.assign(acc=frame[acc].mean(axis=1)) if acc else frame.assign(acc=float("nan"))
    models = list(dict.fromkeys(data["model"]))
    methods = list(dict.fromkeys(data["method"]))
    palette = _palette(methods)
    fig, axes = plt.subplots(len(models), 3, figsize=(12, 3.4 * len(models)), squeeze=False)
    for row, model in zip(axes, models, strict=True):
        sub = data[data.model == model]
        for ax, (col, title) in zip(row, TEMPERATURE_PANELS.items(), strict=True):
            base = sub[sub.method == "base"]
            sns.lineplot(
                data=base, x="temperature", y=col, errorbar=ci95_interval, marker="o", color=palette["base"],
                label="base, temperature sweep", ax=ax,
            )  # fmt: skip
            for method in (m for m in methods if m != "base"):
                points = sub[(sub.method == method) & (sub.temperature == headline)][col]
                if points.empty:
                    continue
                low, high = ci95_interval(points.tolist())
                ax.errorbar(
                    [headline], [points.mean()], yerr=[[points.mean() - low], [high - points.mean()]],
                    fmt="D", color=palette[method], markersize=8, capsize=4, label=f"{method} at T={headline:g}",
                )  # fmt: skip
            ax.set_title(title if len(models) == 1 else f"{model}: {title}", fontsize=10)
            ax.set_xlabel("sampling temperature")
            ax.set_ylabel("")
            if col == "nv":  # a few percent for a valid model, invisible on a [0, 1] axis: its own scale
                ax.set_ylim(bottom=0)
            else:
                ax.set_ylim(0, 1.02)
            if col == "jsd":
                ax.legend(fontsize=8)
            else:  # NV and accuracy are shares
                ax.yaxis.set_major_formatter(PercentFormatter(1.0))  # decimals as the ticks need
                ax.get_legend().remove()
    seeds = data.groupby(["model", "method"])["seed"].nunique().min()
    fig.suptitle(f"Temperature baseline: a hotter base model against GAPO ({_over_seeds(seeds)})")
    fig.tight_layout()
    return fig
