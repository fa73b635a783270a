"""Training on several processes through accelerate (config/accelerate/): the micro config's train
rule on 2 CPU processes over gloo, as multi-GPU training runs it on GPUs."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_train_rule_trains_one_adapter_on_two_processes(tmp_path):
    override = tmp_path / "two_processes.yaml"
    override.write_text("compute: {accelerate_config: config/accelerate/cpu_2proc.yaml}\n")
    run = tmp_path / "results/models/standin/gapo/seed0"
    done = subprocess.run(
        [sys.executable, "-m", "snakemake", str(run / "adapter"), "--cores", "2",
         "--configfile", "config/micro.yaml", str(override), "--config", f"results_dir={tmp_path / 'results'}"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    history = json.loads((run / "train_log.json").read_text())["log_history"]
    assert {row["num_processes"] for row in history} == {2}
    # micro: 4 prompts x G=4 per step, split over the 2 processes; every step scored whole groups
    steps = [row for row in history if "groups/valid_fraction" in row]
    assert [row["step"] for row in steps] == [1, 2, 3]
    assert (run / "adapter/adapter_model.safetensors").is_file()
    assert not (run / "checkpoints").exists()  # a finished run removes its checkpoints
