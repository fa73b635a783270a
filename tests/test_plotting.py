"""What a reader sees on the figures: every bar value written, never under its own error bar; per-step
curves over the steps every seed logged; creative points with their intervals."""

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from gapo.plotting import creative_diversity_coherence, label_bars, steps_every_seed_logged
from gapo.stats import ci95_interval, mean_ci95


def test_each_bar_label_sits_above_its_error_bar():
    data = pd.DataFrame({"method": ["a"] * 3 + ["b"] * 3, "value": [0.1, 0.5, 0.9, 0.40, 0.41, 0.42]})
    fig, ax = plt.subplots()
    sns.barplot(data=data, x="method", y="value", hue="method", errorbar=ci95_interval, ax=ax, legend=False)
    whisker_tops = sorted(max(line.get_ydata()) for line in ax.lines)
    label_bars(ax, "{:.3f}")
    labels = {text.get_text(): text.xy for text in ax.texts}
    assert set(labels) == {"0.500", "0.410"}
    # The label of "a" (mean 0.5, wide interval) sits at the top of its whisker, not at the bar's top.
    assert labels["0.500"][1] == max(whisker_tops) > 0.5
    assert labels["0.410"][1] >= 0.41
    assert ax.get_ylim()[1] > max(whisker_tops)  # room for the label above the highest whisker
    plt.close(fig)


def _steps(*steps: int) -> pd.DataFrame:
    return pd.DataFrame({"step": list(steps), "jsd": [0.5] * len(steps)})


def test_per_step_figures_keep_the_steps_every_seed_of_a_method_logged():
    # Runs stopped at a wall clock end at different steps (GAPO 100 and 109 on the H200).
    runs = {
        ("m", "gapo", 0): _steps(0, 25, 50, 75, 100),
        ("m", "gapo", 1): _steps(0, 25, 50, 75, 100, 109),
        ("m", "grpo", 0): _steps(0, 25, 50, 75, 100, 125, 135),
        ("m", "grpo", 1): _steps(0, 25, 50, 75, 100, 125, 132),
    }
    cut = steps_every_seed_logged(runs)
    assert list(cut[("m", "gapo", 1)]["step"]) == [0, 25, 50, 75, 100]
    assert list(cut[("m", "gapo", 0)]["step"]) == [0, 25, 50, 75, 100]
    # each method its own steps; a last step off the grid (132, 135) is one seed's alone
    assert list(cut[("m", "grpo", 0)]["step"]) == [0, 25, 50, 75, 100, 125]
    assert list(cut[("m", "grpo", 1)]["step"]) == [0, 25, 50, 75, 100, 125]


def test_creative_figure_draws_each_point_with_its_interval_over_seeds():
    keys = {"distinct_2": 0.0, "self_bleu_diversity": 0.0, "embedding_diversity": 0.0}
    creative, coherence = {}, {}
    for method, diversity in (("base", [0.70, 0.74, 0.78]), ("gapo", [0.80, 0.80, 0.80])):
        for seed, d in enumerate(diversity):
            creative[("m", method, seed)] = {"0.7": {k: d for k in keys}}
            coherence[("m", method, seed)] = {"0.7": {"coherence": 0.2 + 0.01 * seed}}
    fig = creative_diversity_coherence(creative, coherence, ["base", "gapo"])
    ax = fig.axes[0]
    # One vertical bar a point: the base's spans its seeds' spread, GAPO's (no spread) has none.
    heights = sorted(
        round(float(abs(seg[1][1] - seg[0][1])), 4)
        for coll in ax.collections
        if type(coll).__name__ == "LineCollection"
        for seg in coll.get_segments()
        if abs(seg[1][0] - seg[0][0]) < 1e-12
    )
    half = mean_ci95([0.70, 0.74, 0.78])[1]
    assert heights == [0.0, round(2 * half, 4)]
    assert "3 seeds" in fig._suptitle.get_text()
    plt.close(fig)
