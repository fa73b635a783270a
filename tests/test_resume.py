"""A real RL run killed mid-way resumes from its last checkpoint when started again."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HELPER = Path(__file__).parent / "resumable_run.py"
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "GAPO_PROGRESS": "0", "HF_HUB_OFFLINE": "1"}


@pytest.mark.slow
def test_killed_training_resumes_from_its_last_checkpoint(tiny_model_dir, tmp_path):
    run = subprocess.Popen(
        [sys.executable, str(HELPER), str(tiny_model_dir), str(tmp_path), "--hang-after-save", "4"],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.time() + 300
    while not (tmp_path / "saved-4").exists():
        assert run.poll() is None, run.stderr.read().decode()[-3000:]
        assert time.time() < deadline, "no checkpoint at step 4 within 5 minutes"
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    assert not (tmp_path / "adapter").exists() and not (tmp_path / "done.json").exists()
    assert (tmp_path / "checkpoints" / "checkpoint-4").is_dir()
    # a kill in the middle of the next save leaves a checkpoint without its trainer state
    half = tmp_path / "checkpoints" / "checkpoint-6"
    half.mkdir()
    (half / "adapter_config.json").write_text("{}")

    again = subprocess.run(
        [sys.executable, str(HELPER), str(tiny_model_dir), str(tmp_path)],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert "resuming from" in again.stderr and "checkpoint-4" in again.stderr
    done = json.loads((tmp_path / "done.json").read_text())
    assert done["first_step"] == 4  # steps 1-4 were not trained again
    assert max(done["logged_steps"]) == 8
    assert (tmp_path / "adapter" / "adapter_config.json").is_file()
    assert not (tmp_path / "checkpoints").exists()  # a finished run leaves nothing to resume


def test_checkpoints_of_another_run_are_discarded(tmp_path, caplog):
    from gapo.training import RewardSpec, RLSettings, _claim_checkpoints, run_fingerprint

    ckpt = tmp_path / "checkpoints"
    (ckpt / "checkpoint-4").mkdir(parents=True)
    prompts = [{"prompt": "p", "valid": ["a"]}]
    rewards = [RewardSpec("frequency_aware")]
    old = run_fingerprint("some/model", prompts, rewards, RLSettings(learning_rate=1e-3))
    new = run_fingerprint("some/model", prompts, rewards, RLSettings(learning_rate=2e-4))
    assert old != new
    # on 2 processes every batch is split otherwise: another run, whose checkpoints are not resumed
    assert run_fingerprint("some/model", prompts, rewards, RLSettings(learning_rate=1e-3), 2) != old
    _claim_checkpoints(ckpt, old)
    (ckpt / "checkpoint-4").mkdir()
    (ckpt / "checkpoint-4" / "trainer_state.json").write_text("{}")
    (ckpt / "checkpoint-8").mkdir()  # killed while saving: no trainer state
    _claim_checkpoints(ckpt, old)  # the same run keeps its complete checkpoints
    assert (ckpt / "checkpoint-4").is_dir() and not (ckpt / "checkpoint-8").exists()
    assert "not saved to the end" in caplog.text
    _claim_checkpoints(ckpt, new)  # another run's are discarded
    assert not (ckpt / "checkpoint-4").exists()
    assert "discarding checkpoints of a different run" in caplog.text
