"""The train rule, killed mid-run under Snakemake and started again, resumes from its last checkpoint."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# Long enough that the kill, a second after the first checkpoint (step 5), comes in the middle:
# a micro step takes about 0.08 s on 2 cores.
STEPS = 150


@pytest.mark.slow
def test_a_killed_train_rule_resumes_from_its_last_checkpoint(tmp_path):
    config = tmp_path / "long_rl.yaml"  # micro, with an RL run long enough to be killed in the middle
    config.write_text(yaml.safe_dump({"replicates": 1, "rl": {"common": {"steps": STEPS, "save_steps": 5}}}))
    results = tmp_path / "results"
    adapter = results / "models/standin/gapo/seed0/adapter"
    checkpoints = adapter.parent / "checkpoints"
    cmd = [
        sys.executable, "-m", "snakemake", str(adapter), "--cores", "1",
        "--configfile", "config/micro.yaml", str(config), "--config", f"results_dir={results}",
    ]  # fmt: skip
    env = {**os.environ, "GAPO_PROGRESS": "0"}
    run = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)  # fmt: skip
    deadline = time.time() + 600
    while not list(checkpoints.glob("checkpoint-*/trainer_state.json")):
        assert run.poll() is None, "snakemake ended before the first checkpoint"
        assert time.time() < deadline, "no checkpoint within 10 minutes"
        time.sleep(0.2)
    time.sleep(1.0)
    # kill the training job itself (as the OOM killer or a node failure would); Snakemake sees the
    # job die, removes its incomplete outputs and stops
    job = subprocess.run(["pgrep", "-g", str(run.pid), "-f", "train_policy"], capture_output=True, text=True)
    for pid in job.stdout.split():
        os.kill(int(pid), signal.SIGKILL)
    assert job.stdout.split(), "no training job to kill"
    assert run.wait(timeout=120) != 0
    assert not (adapter / "adapter_config.json").exists()
    # a kill in the middle of a save leaves that checkpoint without its trainer state (written
    # last): the run must resume from the last checkpoint saved to the end
    saved = sorted(int(p.parent.name.split("-")[1]) for p in checkpoints.glob("checkpoint-*/trainer_state.json"))
    assert saved and saved[-1] < STEPS

    again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stderr[-3000:]
    log = (results / "logs/train/standin/gapo/seed0.log").read_text()
    assert "resuming from" in log and f"checkpoint-{saved[-1]}" in log
    assert (adapter / "adapter_config.json").is_file()
