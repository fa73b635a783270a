"""The config is validated against the schema when the DAG starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def dry_run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--cores", "1", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("configfile", ["config/config.yaml", "config/micro.yaml", "config/standin_gpu.yaml"])
def test_shipped_configs_are_valid(configfile, tmp_path):
    res = dry_run("--configfile", configfile, "--config", f"results_dir={tmp_path}")
    assert res.returncode == 0, res.stderr


def test_paper_config_resolves_offline_without_stand_in_stages(tmp_path):
    # HF_HUB_OFFLINE: resolving the DAG must not touch the hub (the models are hub names)
    res = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--cores", "1", "--configfile", "config/paper.yaml",
         "--config", f"results_dir={tmp_path}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    jobs = dict(line.split()[:2] for line in res.stdout.split("Job stats:")[1].splitlines()[3:] if line.strip())
    assert not {"corpus", "base_model", "base_vs_data"} & set(jobs)
    # 2 models x 3 seeds: trained gapo and grpo, and every method sampled and scored
    assert (jobs["train"], jobs["sample"], jobs["accuracy"]) == ("12", "18", "18")
    assert "qwen7b" in res.stdout and "qwen32b" in res.stdout and "standin" not in res.stdout


@pytest.mark.parametrize(
    ("yaml_text", "named"),
    [
        ("sede: 1\n", "sede: unknown key"),
        ("rl:\n  common:\n    steps: many\n", "rl.common.steps = 'many'"),
        ("world:\n  heldout_topics: [pluto]\n", "world.heldout_topics: ['pluto'] are not topics"),
        ("rl:\n  methods:\n    base: {rewards: [{name: validity}]}\n", "rl.methods.base: the name is reserved"),
    ],
)
def test_bad_config_fails_naming_the_key(yaml_text, named, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml_text)
    res = dry_run("--configfile", str(bad), "--config", f"results_dir={tmp_path}")
    assert res.returncode != 0
    out = res.stderr + res.stdout
    assert "ConfigError" in out
    assert any(line.startswith("config key") and named in line and "fix:" in line for line in out.splitlines())


def test_workflow_lints_clean():
    res = subprocess.run(
        [sys.executable, "-m", "snakemake", "--lint"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0
    assert "Lints for" not in res.stdout + res.stderr
