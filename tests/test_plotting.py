"""What a reader sees on the bar charts: every value written, never under its own error bar."""

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from gapo.plotting import label_bars
from gapo.stats import ci95_interval


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
