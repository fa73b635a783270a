"""GAPOTrainer on 2 CPU processes (gloo): group rewards see whole groups that TRL split."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from gapo.rewards import FrequencyAwareReward
from gapo.trainer import score_groups

HERE = Path(__file__).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_group_rewards_on_two_processes_equal_the_single_process_result(tiny_model_dir, tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "GAPO_PROGRESS": "0", "HF_HUB_OFFLINE": "1"}
    cmd = [
        sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
        "--master_addr", "127.0.0.1", "--master_port", str(free_port()),
        str(HERE / "distributed_rewards.py"), str(tiny_model_dir), str(tmp_path),
    ]  # fmt: skip
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1)]
    assert [r["world_size"] for r in ranks] == [2, 2]
    steps = list(zip(ranks[0]["records"], ranks[1]["records"], strict=True))
    assert len(steps) == 2
    straddled = 0
    for local0, local1 in steps:
        assert len(local0["completions"]) == len(local1["completions"]) == 6
        # the same call on one process: all completions in rank order, whole groups of 4
        prompts = local0["prompts"] + local1["prompts"]
        completions = local0["completions"] + local1["completions"]
        valid = local0["valid"] + local1["valid"]
        expected = score_groups(FrequencyAwareReward(), prompts, completions, {"valid": valid}, 4)
        assert local0["rewards"] == expected[:6]
        assert local1["rewards"] == expected[6:]
        straddled += local0["prompts"][-1] == local1["prompts"][0]
    assert straddled == len(steps)  # the middle group of every step was split between the processes
