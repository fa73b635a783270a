"""The whole DAG through snakemake on the micro config, every output checked."""

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib.image as mpimg
import pytest

ROOT = Path(__file__).resolve().parents[1]
METHODS = ["base", "gapo", "grpo"]
SEEDS = [0, 1]  # config/micro.yaml: replicates 2
TASKS = ["heldout_lists", "train_lists", "open_ended", "creative"]


def offline_env(network_log: Path) -> dict[str, str]:
    """The hub switched offline and every Python process's network calls refused and logged."""
    path = os.pathsep.join([str(ROOT / "tests/offline"), os.environ.get("PYTHONPATH", "")])
    hub_offline = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    return {**os.environ, **hub_offline, "PYTHONPATH": path, "GAPO_NETWORK_LOG": str(network_log)}


def snakemake(results: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable, "-m", "snakemake", *args, "--cores", "2",
            "--configfile", "config/micro.yaml", "--config", f"results_dir={results}",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=1200, env=offline_env(results / "network.log"),
    )  # fmt: skip


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    """The default target and the ablations, in one run (their jobs share the cores)."""
    out = tmp_path_factory.mktemp("results")
    res = snakemake(out, "all", "ablations")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-5000:]
    return out


@pytest.mark.slow
def test_every_stage_wrote_its_outputs(results):
    assert (results / "data/pretrain.jsonl").stat().st_size > 0
    for name in ["rl_prompts", "heldout_lists", "train_lists", "open_ended", "creative"]:
        assert (results / "data/standin" / f"{name}.jsonl").stat().st_size > 0
    weights = []
    for seed in SEEDS:  # each replicate pretrains its own base: the intervals cover the base's spread
        base = results / f"models/standin/base/seed{seed}"
        assert (base / "config.json").is_file() and (base / "tokenizer.json").is_file()
        weights.append((base / "model.safetensors").read_bytes())
    assert len(set(weights)) == len(SEEDS)
    for method in ["gapo", "grpo"]:
        for seed in SEEDS:
            run = results / f"models/standin/{method}/seed{seed}"
            adapter = json.loads((run / "adapter/adapter_config.json").read_text())
            assert adapter["base_model_name_or_path"].endswith(f"models/standin/base/seed{seed}")
            log = json.loads((run / "train_log.json").read_text())
            assert log["log_history"][-1]["step"] == 3 and log["settings"]["seed"] == seed
        with (results / f"models/standin/{method}/seed0/curves.csv").open() as fh:
            curves = list(csv.DictReader(fh))
        assert [int(r["step"]) for r in curves] == [1, 2, 3]
        assert all(0 <= float(r["groups/valid_fraction"]) <= 1 for r in curves)
    bias = json.loads((results / "bias/standin.json").read_text())
    assert {"instruction-4", "instruction-5", "shuffled"} <= set(bias)
    assert bias["shuffled"]["n"] == 10
    for method in METHODS:
        for seed in SEEDS:
            for task in TASKS:
                samples = (results / f"samples/standin/{method}/seed{seed}/{task}.jsonl").read_text().splitlines()
                assert samples
                metrics = json.loads((results / f"metrics/standin/{method}/seed{seed}/{task}.json").read_text())
                assert set(metrics) == {"0.7", "1"}
            accuracy = json.loads((results / f"accuracy/standin/{method}/seed{seed}.json").read_text())
            assert set(accuracy) == {"gapo_arithmetic", "gapo_mc"}
            assert all(0 <= a["value"] <= 1 and a["n"] == 20 for a in accuracy.values())
    # 2 lists x 20 samples x 2 temperatures on held-out topics
    held = (results / "samples/standin/gapo/seed0/heldout_lists.jsonl").read_text().splitlines()
    assert len(held) == 2 * 20 * 2
    # the seeds differ in sampling
    other = (results / "samples/standin/base/seed1/heldout_lists.jsonl").read_text().splitlines()
    base = (results / "samples/standin/base/seed0/heldout_lists.jsonl").read_text().splitlines()
    assert other != base


@pytest.mark.slow
def test_figures_and_tables(results):
    figures = ["fig2_bias", "fig4_list_sampling", "fig5_open_set", "fig_creative", "training_curves", "fig_temperature",
               "fig_rl_steps"]  # fmt: skip
    for fig in figures:
        image = mpimg.imread(results / "figures" / f"{fig}.png")
        assert image.shape[0] > 200 and image.shape[1] > 400
        assert (results / "figures" / f"{fig}.pdf").read_bytes().startswith(b"%PDF")
    for method in METHODS[1:]:  # the held-out probe: step 0 and every checkpoint (save_steps 2 of 3 steps)
        for seed in SEEDS:
            with (results / f"models/standin/{method}/seed{seed}/probe.csv").open() as fh:
                probe = list(csv.DictReader(fh))
            assert [int(r["step"]) for r in probe] == [0, 2, 3] and all(0 <= float(r["nv"]) <= 1 for r in probe)
    with (results / "tables/summary.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["method"] for r in rows] == METHODS
    assert all(int(r["seeds"]) == len(SEEDS) for r in rows)
    assert all(float(r["ci95:heldout_jsd@T0.7"]) >= 0 for r in rows)
    with (results / "tables/summary_per_seed.csv").open() as fh:
        per_seed = list(csv.DictReader(fh))
    assert [(r["method"], int(r["seed"])) for r in per_seed] == [(m, s) for m in METHODS for s in SEEDS]
    for r in rows:
        values = [float(p["heldout_jsd@T0.7"]) for p in per_seed if p["method"] == r["method"]]
        assert float(r["heldout_jsd@T0.7"]) == pytest.approx(sum(values) / len(values), abs=1e-4)
    for column in [
        "heldout_jsd@T0.7",
        "heldout_nv@T0.7",
        "heldout_no_valid@T0.7",
        "unique@30@T0.7",
        "heldout_jsd@T1",
        "acc_gapo_mc",
    ]:
        assert all(0 <= float(r[column]) <= 30 for r in rows), column
    md = (results / "tables/summary.md").read_text()
    for method in METHODS:  # one table per temperature
        assert md.count(f"\n| standin | {method} |") == 2
    assert "Targets at temperature 0.7 (judged on the mean over seeds; ± the 95% CI; settled:" in md
    assert "| met | settled |" in md
    with (results / "tables/accuracy.csv").open() as fh:
        assert [r["method"] for r in csv.DictReader(fh)] == METHODS
    with (results / "tables/diversity.csv").open() as fh:
        assert [(r["method"], r["temperature"]) for r in csv.DictReader(fh)] == [
            (m, t) for t in ("0.7000", "1.0000") for m in METHODS
        ]
    with (results / "tables/temperature.csv").open() as fh:  # base over the sweep, gapo at 0.7
        sweep = [(r["method"], r["temperature"], r["seeds"]) for r in csv.DictReader(fh)]
    assert sweep == [("base", "0.7000", "2"), ("base", "1.3000", "2"), ("gapo", "0.7000", "2")]
    with (results / "tables/base_vs_data.csv").open() as fh:
        held = [r for r in csv.DictReader(fh) if r["split"] == "heldout"]
    assert [r["list"] for r in held] == ["planet-0", "instrument-0"]
    assert all(0 <= float(r["data_jsd"]) <= 1 for r in held)
    for r in held:  # a list the micro model never answered in format has no JSD, and NV 100%
        assert 0 <= float(r["base_jsd@T0.7"]) <= 1 if r["base_jsd@T0.7"] else float(r["base_nv@T0.7"]) == 1


def test_the_offline_guard_refuses_and_logs_a_network_call(tmp_path):
    code = "import socket; socket.create_connection(('example.org', 80), timeout=5)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=offline_env(tmp_path / "net.log"), capture_output=True, text=True
    )
    assert done.returncode != 0 and "network blocked in the offline run" in done.stderr
    assert "example.org" in (tmp_path / "net.log").read_text()


@pytest.mark.slow
def test_the_whole_dag_ran_without_network(results):
    # the fixture ran it with the hub offline and every connection refused and logged
    assert not (results / "network.log").exists(), (results / "network.log").read_text()
    assert (results / "tables/summary.csv").is_file()


@pytest.mark.slow
def test_the_report_bundles_every_figure_and_table(results):
    res = snakemake(results, "--report", str(results / "report.html"))
    assert res.returncode == 0, res.stderr[-3000:]
    html = (results / "report.html").read_text()
    for name in ["fig2_bias", "fig4_list_sampling", "fig5_open_set", "fig_creative", "fig_temperature",
                 "training_curves", "fig_rl_steps", "summary.csv", "accuracy.csv", "diversity.csv",
                 "temperature.csv"]:  # fmt: skip
        assert name in html, name


def test_remote_code_is_never_trusted():
    uses = [
        (path.name, line.strip())
        for path in (ROOT / "src").rglob("*.py")
        for line in path.read_text().splitlines()
        if "trust_remote_code" in line
    ]
    assert uses and all(re.search(r"trust_remote_code\W*[=:]\s*False", line) for _, line in uses), uses


@pytest.mark.slow
def test_every_rule_logged_and_a_rerun_has_nothing_to_do(results):
    assert len(list((results / "logs").rglob("*.log"))) >= 15
    res = snakemake(results, "-n")
    assert res.returncode == 0
    assert "Nothing to be done" in res.stdout + res.stderr


@pytest.mark.slow
def test_ablations_target_trains_the_extra_methods_and_draws_each_study(results):
    with (results / "tables/ablations.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["method"] for r in rows] == [*METHODS, "gapo_abs", "open_set"]
    described = {r["method"]: r["rewards"] for r in rows}
    assert described["gapo_abs"] == "frequency_aware(abs)" and described["open_set"] == "open_set; open prompts"
    prompts = json.loads((results / "models/standin/open_set/seed0/train_log.json").read_text())
    assert prompts["log_history"][-1]["step"] == 3
    image = mpimg.imread(results / "figures/ablation_reward_form.png")
    assert image.shape[0] > 200 and image.shape[1] > 400
    assert "Sampling temperature 0.7" in (results / "tables/ablations.md").read_text()


@pytest.mark.slow
def test_training_again_gives_byte_identical_metrics(results):
    """Same config and seed, same numbers: one RL run (GAPO, the second seed), and the sampling and
    scoring after it, redone give the same bytes."""
    metrics = [*(results / "metrics").rglob("*.json"), *(results / "accuracy").glob("*/*/seed*.json")]
    watched = sorted([*metrics, results / "tables/summary.csv"])
    before = {p: p.read_bytes() for p in watched}
    adapter = results / f"models/standin/gapo/seed{SEEDS[-1]}/adapter"
    trained_at = (adapter / "adapter_model.safetensors").stat().st_mtime_ns
    # the run's own metrics and the summary: the figures after them would only be drawn again
    redo = [p for p in watched if f"gapo/seed{SEEDS[-1]}" in str(p)] + [results / "tables/summary.csv"]
    res = snakemake(results, *map(str, redo), "--forcerun", str(adapter))  # targets first: --forcerun takes many
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-5000:]
    assert (adapter / "adapter_model.safetensors").stat().st_mtime_ns > trained_at  # really retrained
    redone = results / f"metrics/standin/gapo/seed{SEEDS[-1]}/heldout_lists.json"
    assert redone.stat().st_mtime_ns > trained_at  # and sampled and scored again
    changed = [str(p.relative_to(results)) for p in watched if p.read_bytes() != before[p]]
    assert not changed
