import math

import pandas as pd
import pytest
from scipy import stats

from gapo.stats import ci95_interval, mean_ci95
from gapo.tables import (
    accuracy_table,
    aggregate_seeds,
    diversity_table,
    markdown_table,
    summary_markdown,
    summary_table,
    target_checks,
)


def frame() -> pd.DataFrame:
    rows = []
    for method, jsd, nv, uniq, acc in [
        ("base", 0.6, 0.01, 4.0, 1.0),
        ("gapo", 0.08, 0.02, 7.0, 0.98),
        ("grpo", 0.7, 0.0, 3.0, 1.0),
    ]:
        rows.append(
            {
                "model": "standin", "method": method,
                "heldout_jsd@T0.7": jsd, "heldout_nv@T0.7": nv, "unique@500@T0.7": uniq,
                "heldout_jsd@T1": jsd / 2, "heldout_nv@T1": nv, "unique@500@T1": uniq,
                "acc_gapo_mc": acc,
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def test_every_target_is_checked_at_the_headline_temperature():
    checks = target_checks(frame(), 0.7).set_index(["claim", "metric"])
    assert checks.loc[("GAPO flattens held-out lists", "heldout_jsd"), "measured"] == 0.08
    assert checks.loc[("GAPO flattens held-out lists", "base - heldout_jsd"), "measured"] == 0.52
    assert checks.loc[("GRPO ablation stays collapsed", "base - heldout_jsd"), "measured"] == -0.1
    assert checks.loc[("GAPO Unique@N at least 1.5x base", "unique@500 / base"), "measured"] == 1.75
    # exactly 2 points below base counts as within 2 points
    assert checks.loc[("GAPO accuracy within 2 points of base", "base - acc_gapo_mc"), "met"] == "yes"
    assert (checks["met"] == "yes").all()


def test_a_missed_target_says_no_and_absent_methods_are_skipped():
    df = frame()
    df.loc[df.method == "gapo", "heldout_jsd@T0.7"] = 0.5
    checks = target_checks(df[df.method != "grpo"], 0.7)
    assert "GRPO ablation stays collapsed" not in set(checks.claim)
    rows = checks[checks.claim == "GAPO flattens held-out lists"].set_index("metric")
    assert rows.loc["heldout_jsd", "met"] == "no"  # 0.5 > 0.45
    assert rows.loc["base - heldout_jsd", "met"] == "no"  # 0.1 below base, not 0.15


def test_targets_are_judged_on_the_mean_over_seeds_with_paired_intervals():
    per_seed = pd.concat([frame().assign(seed=s) for s in (0, 1, 2)], ignore_index=True)
    per_seed.loc[per_seed.method == "base", "heldout_jsd@T0.7"] = [0.60, 0.62, 0.64]
    # one seed over the bar, the mean under it: judged met on the mean
    per_seed.loc[per_seed.method == "gapo", "heldout_jsd@T0.7"] = [0.40, 0.42, 0.47]
    checks = target_checks(per_seed, 0.7).set_index(["claim", "metric"])
    absolute = checks.loc[("GAPO flattens held-out lists", "heldout_jsd")]
    assert absolute["measured"] == pytest.approx(0.43) and absolute["met"] == "yes" and absolute["seeds"] == 3
    assert absolute["ci95:measured"] == pytest.approx(mean_ci95([0.40, 0.42, 0.47])[1])
    paired = checks.loc[("GAPO flattens held-out lists", "base - heldout_jsd")]
    # base - GAPO seed by seed: 0.20, 0.20, 0.17
    assert paired["measured"] == pytest.approx(0.19) and paired["met"] == "yes"
    assert paired["ci95:measured"] == pytest.approx(mean_ci95([0.20, 0.20, 0.17])[1])
    md = summary_markdown(aggregate_seeds(per_seed), [0.7], per_seed)
    # 0.45 lies inside 0.43 ± 0.09: met on the mean, not settled
    assert "| standin | GAPO flattens held-out lists | heldout_jsd | 0.430 ± 0.090 | 3 | <= 0.45 | yes | no |" in md
    # the stand-in's targets are not a real model's: the DAG judges only the models it names
    real = pd.concat([per_seed, per_seed.assign(model="smollm2")], ignore_index=True)
    md = summary_markdown(aggregate_seeds(real), [0.7], real, target_models=["standin"])
    assert "| smollm2 | base |" in md and "| smollm2 | GAPO" not in md and "| standin | GAPO flattens" in md


def test_a_verdict_is_settled_only_when_the_target_lies_outside_its_interval():
    per_seed = pd.concat([frame().assign(seed=s) for s in (0, 1, 2)], ignore_index=True)
    per_seed.loc[per_seed.method == "base", "heldout_jsd@T0.7"] = [0.60, 0.62, 0.64]
    per_seed.loc[per_seed.method == "gapo", "heldout_jsd@T0.7"] = [0.44, 0.46, 0.48]  # 0.46 ± 0.05
    per_seed.loc[per_seed.method == "gapo", "heldout_nv@T0.7"] = [0.05, 0.06, 0.07]  # 0.06 ± 0.025
    checks = target_checks(per_seed, 0.7).set_index(["claim", "metric"])
    jsd = checks.loc[("GAPO flattens held-out lists", "heldout_jsd")]
    assert (jsd["met"], jsd["settled"]) == ("no", "no")  # 0.45 is inside the interval: it can turn
    nv = checks.loc[("GAPO stays valid on held-out lists", "heldout_nv")]
    assert (nv["met"], nv["settled"]) == ("no", "yes")  # the whole interval is above 3%
    drop = checks.loc[("GAPO flattens held-out lists", "base - heldout_jsd")]
    # 0.16 below the base in every seed: no spread
    assert drop["measured"] == pytest.approx(0.16) and drop["ci95:measured"] == pytest.approx(0, abs=1e-9)
    assert (drop["met"], drop["settled"]) == ("yes", "yes")
    assert (target_checks(frame(), 0.7)["settled"] == "").all()  # one seed: no interval to settle it


def test_markdown_has_a_table_per_temperature_and_the_targets():
    md = summary_markdown(frame(), [0.7, 1.0])
    assert "Sampling temperature 0.7:" in md and "Sampling temperature 1:" in md
    assert "Targets at temperature 0.7 (judged on the mean over seeds" in md
    assert "| standin | gapo | 0.080 | 2.0% | 7.000 | 98.0% |" in md


def test_base_is_held_against_its_data_per_list():
    from gapo.tables import base_vs_data_table

    prompts = [{"id": "planet-0", "topic": "planet", "valid": ["a", "b"], "data_distribution": {"a": 0.8, "b": 0.2}}]
    metrics = {"0.7": {"prompts": {"planet-0": {"jsd": 0.5, "distribution": {"a": 0.9, "b": 0.05, "NV": 0.05}}}}}
    row = base_vs_data_table(prompts, metrics).iloc[0]
    assert row["data_top1"] == 0.8 and row["data_min"] == 0.2
    assert row["base_top1@T0.7"] == 0.9 and row["base_min@T0.7"] == 0.05 and row["base_nv@T0.7"] == 0.05
    assert 0 < row["data_jsd"] < row["base_jsd@T0.7"]


def test_a_base_at_zero_does_not_break_the_ratio_targets():
    df = frame()
    df["unique@500@T0.7"] = [0.0, 2.0, 0.0]
    row = target_checks(df, 0.7).set_index("claim").loc["GAPO Unique@N at least 1.5x base"]
    assert row.met == "yes" and row.measured == float("inf")


def test_seeds_aggregate_to_mean_and_t_interval_and_print_as_mean_plus_minus():
    per_seed = pd.concat([frame().assign(seed=s) for s in (0, 1, 2)], ignore_index=True)
    per_seed.loc[per_seed.method == "gapo", "heldout_jsd@T0.7"] = [0.06, 0.08, 0.10]
    flat = aggregate_seeds(per_seed)
    agg = flat.set_index("method")
    assert agg.loc["gapo", "seeds"] == 3
    assert agg.loc["gapo", "heldout_jsd@T0.7"] == pytest.approx(0.08)
    # sd 0.02, n 3: t(0.975, 2) * 0.02 / sqrt(3)
    assert agg.loc["gapo", "ci95:heldout_jsd@T0.7"] == pytest.approx(stats.t.ppf(0.975, 2) * 0.02 / math.sqrt(3))
    assert agg.loc["base", "ci95:heldout_jsd@T0.7"] == 0.0
    md = summary_markdown(flat, [0.7])
    assert "| standin | gapo | 0.080 ± 0.050 | 2.0% ± 0.0 |" in md
    assert "Mean over 3 seeds" in md
    assert "and of the stand-in's pretraining" in md  # a stand-in's seeds pretrain their own bases
    checks = target_checks(flat, 0.7)
    assert "ci95" not in " ".join(checks.metric)


def test_a_seed_with_no_valid_answer_leaves_the_jsd_to_the_seeds_that_have_one():
    per_seed = pd.concat([frame().assign(seed=s) for s in (0, 1, 2)], ignore_index=True)
    per_seed.loc[per_seed.method == "gapo", "heldout_jsd@T0.7"] = [math.nan, 0.2, 0.4]
    per_seed.loc[per_seed.method == "grpo", "heldout_jsd@T0.7"] = math.nan
    agg = aggregate_seeds(per_seed).set_index("method")
    assert agg.loc["gapo", "heldout_jsd@T0.7"] == pytest.approx(0.3)
    assert agg.loc["gapo", "ci95:heldout_jsd@T0.7"] == pytest.approx(
        stats.t.ppf(0.975, 1) * stats.tstd([0.2, 0.4]) / math.sqrt(2)
    )
    assert math.isnan(agg.loc["grpo", "heldout_jsd@T0.7"])


def test_one_seed_has_no_interval():
    assert math.isnan(mean_ci95([0.5])[1])
    assert ci95_interval([0.5]) == (0.5, 0.5)
    mean, half = mean_ci95([1.0, 2.0, 3.0, 4.0])
    assert (mean, half) == pytest.approx((2.5, stats.t.ppf(0.975, 3) * stats.tstd([1, 2, 3, 4]) / 2))


def test_accuracy_and_diversity_tables_hold_every_metric_with_its_interval():
    per_seed = pd.concat([frame().assign(seed=s) for s in (0, 1, 2)], ignore_index=True)
    per_seed.loc[per_seed.method == "gapo", "acc_gapo_mc"] = [0.97, 0.98, 0.99]
    flat = aggregate_seeds(per_seed)
    acc = accuracy_table(flat)
    assert list(acc.columns) == ["model", "method", "seeds", "acc_gapo_mc", "ci95:acc_gapo_mc"]
    assert "| standin | gapo | 3 | 98.0% ± 2.5 |" in markdown_table(acc)
    div = diversity_table(flat, [0.7, 1.0])
    assert list(div[["method", "temperature"]].itertuples(index=False, name=None)) == [
        (m, t) for t in (0.7, 1.0) for m in ("base", "gapo", "grpo")
    ]
    assert {"heldout_jsd", "ci95:heldout_jsd", "heldout_nv", "unique@500"} <= set(div.columns)
    assert not any("acc_" in c for c in div.columns)
    assert div.set_index(["method", "temperature"]).loc[("gapo", 1.0), "heldout_jsd"] == pytest.approx(0.04)
    assert "| standin | gapo | 1 | 3 | 0.040 ± 0.000 |" in markdown_table(div)


def test_a_real_models_targets_compare_gapo_with_grpo_and_accuracy_within_its_interval():
    from gapo.tables import REAL_TARGETS

    per_seed = pd.concat([frame().assign(model="llm", seed=s) for s in (0, 1, 2)], ignore_index=True)
    per_seed.loc[per_seed.method == "gapo", "heldout_nv@T0.7"] = [0.01, 0.03, 0.02]  # GRPO's 0 + 2 points
    per_seed.loc[per_seed.method == "gapo", "acc_gapo_mc"] = [0.90, 1.0, 0.95]  # base 1.0: 5 below, CI wider
    checks = target_checks(per_seed, 0.7, REAL_TARGETS).set_index(["claim", "metric"])
    nv = checks.loc[("GAPO NV at most GRPO's + 2 points", "heldout_nv - grpo")]
    assert nv["measured"] == pytest.approx(0.02) and nv["met"] == "yes"
    assert checks.loc[("GAPO Unique@N at least 2x GRPO", "unique@500 / grpo"), "measured"] == pytest.approx(7 / 3)
    skill = checks.loc[("GAPO keeps its skills (within the 95% CI)", "base - acc_gapo_mc")]
    assert skill["measured"] == pytest.approx(0.05) and skill["ci95:measured"] > 0.05 and skill["met"] == "yes"
    per_seed.loc[per_seed.method == "gapo", "acc_gapo_mc"] = [0.90, 0.91, 0.89]  # 10 below, CI narrow
    checks = target_checks(per_seed, 0.7, REAL_TARGETS).set_index(["claim", "metric"])
    assert checks.loc[("GAPO keeps its skills (within the 95% CI)", "base - acc_gapo_mc"), "met"] == "no"
    # the stand-in's targets are not a real model's, and the other way round
    md = summary_markdown(aggregate_seeds(per_seed), [0.7], per_seed, target_models=[], real_models=["llm"])
    assert "GRPO collapses" in md and "GRPO ablation stays collapsed" not in md
    assert "pretraining" not in md.split("\n", 1)[0]  # a real model's seeds share its one base


def _metric_files(held_jsd: float | None, nv: float) -> dict[str, dict]:
    """One run's metric files at T=0.7, as the diversity, coherence and accuracy rules write them."""
    held = {"jsd": held_jsd, "nv": nv, "no_valid_prompts": 2 if held_jsd is None else 0}
    return {
        "heldout_lists": {"0.7": held},
        "train_lists": {"0.7": dict(held)},
        "open_ended": {"0.7": {"n": 500, "unique": 3.0, "nv": nv}},
        "creative": {"0.7": {"distinct_2": 0.5, "self_bleu_diversity": 0.4, "embedding_diversity": 0.3}},
        "coherence": {"0.7": {"coherence": 0.2}},
    }


@pytest.mark.parametrize("answered", [{"base", "grpo"}, set()])
def test_a_run_with_no_valid_answer_at_all_still_gets_its_tables(answered):
    # a model that never answers in format (a wrong prompt, an untrained stand-in) has no JSD to
    # report: the summary says so instead of failing the rule, whichever runs answered
    runs = [("standin", method, 0) for method in ("base", "gapo", "grpo")]
    jsd = {"base": 0.6, "gapo": 0.1, "grpo": 0.7}
    files = {m: _metric_files(jsd[m] if m in answered else None, 0.01 if m in answered else 1.0) for m in jsd}
    diversity = {(m, meth, s, task): v for m, meth, s in runs for task, v in files[meth].items()}
    accuracy = {run: {"gapo_mc": {"value": 1.0}} for run in runs}
    per_seed = summary_table(diversity, accuracy, runs, [0.7])
    assert math.isnan(per_seed.set_index("method").loc["gapo", "heldout_jsd@T0.7"])
    md = summary_markdown(aggregate_seeds(per_seed), [0.7], per_seed)
    assert "| standin | gapo | n/a | 100.0% | 2.0 | n/a |" in md
    checks = target_checks(per_seed, 0.7).set_index(["claim", "metric"])
    assert ("GAPO flattens held-out lists", "heldout_jsd") not in checks.index  # no value to judge
    assert checks.loc[("GAPO stays valid on held-out lists", "heldout_nv"), "met"] == "no"
