"""profiles/slurm: every rule sized, and the micro DAG run through a real single-node Slurm cluster.

The cluster test installs Debian's slurm-wlm and munge, starts munged, slurmctld and slurmd with their
state in a temporary directory, runs the DAG with profiles/slurm (and a layer that fits its jobs on
this node) and stops the daemons again, also when the run fails.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "profiles/slurm/config.yaml"
# The inner `srun` of every job reads the default path: the jobstep plugin drops SLURM_CONF.
SLURM_CONF = Path("/etc/slurm/slurm.conf")
CONF_MARK = "# Written by gapo's tests/test_slurm.py; removed when the test ends.\n"
PACKAGES = ["slurm-wlm", "munge"]
TOOLS = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "scancel"]
RUN_LIMIT_S = 900  # snakemake hangs for ever when it loses track of a job: killed after this
FIGURES = ["fig2_bias", "fig4_list_sampling", "fig5_open_set", "fig_creative", "training_curves", "fig_rl_steps"]


def profile() -> dict:
    return yaml.safe_load(PROFILE.read_text())


def local_rules() -> set[str]:
    """The Snakefile's `localrules`: they run where snakemake runs, never as cluster jobs."""
    block = re.search(r"^localrules:\n((?:    \w+,?\n)+)", (ROOT / "Snakefile").read_text(), re.M)
    return set(re.findall(r"\w+", block.group(1)))


def job_rules() -> set[str]:
    res = subprocess.run(
        [sys.executable, "-m", "snakemake", "--list-rules"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    rules, local = set(res.stdout.split()), local_rules()
    assert local < rules, local - rules
    return rules - local


def test_targets_renders_and_fetches_are_local_rules():
    assert {"all", "ablations", "summary_table", "fig2_bias", "packaged_model", "benchmark_problems"} <= local_rules()
    assert not {"train", "sample", "bias", "accuracy", "coherence", "diversity"} & local_rules()


def test_slurm_profile_sizes_every_rule():
    settings = profile()
    assert settings["executor"] == "slurm"
    assert {"slurm_partition", "slurm_account"} <= set(settings["default-resources"])
    per_rule = settings["set-resources"]
    assert set(per_rule) == job_rules(), "set-resources must name every rule that runs a cluster job, and only those"
    for rule, resources in per_rule.items():
        assert resources["mem_mb"] > 0 and resources["runtime"] > 0, rule
    for rule in ["bias", "sample", "coherence", "accuracy", "temperature_sweep"]:
        assert per_rule[rule]["gpu"] == 1, rule


def run(*cmd: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, **kwargs)


def install_slurm() -> None:
    if all(shutil.which(tool) for tool in TOOLS):
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", *PACKAGES, env=env)


def node_memory_mb() -> int:
    """Memory the node offers, a little below what slurmd measures (slurmd refuses more)."""
    measured = int(re.search(r"RealMemory=(\d+)", run("slurmd", "-C").stdout).group(1))
    return measured - 1024


def slurm_conf(state: Path, munge_socket: Path) -> str:
    host = socket.gethostname().split(".")[0]
    return CONF_MARK + "\n".join(
        [
            "ClusterName=gapo-test",
            f"SlurmctldHost={host}",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            f"AuthInfo=socket={munge_socket}",
            "SlurmUser=root",
            "SlurmdUser=root",
            f"StateSaveLocation={state}/slurmctld",
            f"SlurmdSpoolDir={state}/slurmd",
            f"SlurmctldPidFile={state}/slurmctld.pid",
            f"SlurmdPidFile={state}/slurmd.pid",
            f"SlurmctldLogFile={state}/slurmctld.log",
            f"SlurmdLogFile={state}/slurmd.log",
            "SchedulerType=sched/backfill",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core_Memory",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/none",
            "MinJobAge=300",  # squeue reports a finished job this long: well above the status poll
            "ReturnToService=2",
            "MpiDefault=none",
            f"NodeName={host} CPUs={os.cpu_count()} RealMemory={node_memory_mb()} State=UNKNOWN",
            f"PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP",
        ]
    )


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has stopped; its parent may never reap it


def stop(pid_file: Path) -> None:
    """Stop the daemon whose pid `pid_file` holds: SIGTERM, then SIGKILL after 10 s."""
    if not pid_file.is_file():
        return
    pid = int(pid_file.read_text().split()[0])
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not alive(pid):
            return
        os.kill(pid, sig)
        deadline = time.time() + 10
        while alive(pid) and time.time() < deadline:
            time.sleep(0.2)


def wait_for_idle_node(timeout_s: float = 60) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        res = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True)
        if res.stdout.strip() == "idle":
            return
        time.sleep(0.5)
    raise TimeoutError(f"the Slurm node is not idle after {timeout_s} s: {res.stdout}{res.stderr}")


def queued_jobs(*states: str) -> list[str]:
    cmd = ["squeue", "-h", "-o", "%i", *(["-t", ",".join(states)] if states else [])]
    res = subprocess.run(cmd, capture_output=True, text=True)
    return res.stdout.split() if res.returncode == 0 else []


def cancel_jobs() -> None:
    """Cancel whatever a failed run left queued or running, so that slurmd leaves no job behind."""
    if jobs := queued_jobs():
        subprocess.run(["scancel", *jobs], capture_output=True)
        deadline = time.time() + 30
        while queued_jobs("RUNNING", "COMPLETING") and time.time() < deadline:
            time.sleep(0.5)


@pytest.fixture
def slurm_cluster() -> Iterator[Path]:
    """A running single-node Slurm cluster; yields its state directory (logs, spool, munge key)."""
    if os.geteuid() != 0:
        pytest.skip("needs root: installs slurm-wlm and munge with apt-get and starts their daemons")
    if shutil.which("apt-get") is None:
        pytest.skip("needs apt-get (Debian or Ubuntu) to install slurm-wlm and munge")
    if SLURM_CONF.exists() and not SLURM_CONF.read_text().startswith(CONF_MARK):
        pytest.skip(f"{SLURM_CONF} belongs to a Slurm installation of this machine: left alone")
    install_slurm()
    # Not under pytest's tmp_path: that is private to root, and munged runs as user munge.
    state = Path(tempfile.mkdtemp(prefix="gapo-slurm-"))
    state.chmod(0o755)
    munge = state / "munge"  # munged refuses a socket directory that others cannot enter
    munge.mkdir(mode=0o755)
    shutil.chown(munge, "munge", "munge")
    started: list[Path] = []
    try:
        run("runuser", "-u", "munge", "--", "mungekey", "-c", "-k", str(munge / "munge.key"))
        run(
            "runuser", "-u", "munge", "--", "munged",
            f"--key-file={munge / 'munge.key'}", f"--socket={munge / 'munge.socket'}",
            f"--pid-file={munge / 'munged.pid'}", f"--log-file={munge / 'munged.log'}",
            f"--seed-file={munge / 'munged.seed'}",
        )  # fmt: skip
        started.append(munge / "munged.pid")
        SLURM_CONF.parent.mkdir(parents=True, exist_ok=True)
        SLURM_CONF.write_text(slurm_conf(state, munge / "munge.socket"))
        for daemon in ["slurmctld", "slurmd"]:
            run(daemon)  # each forks into the background and writes its pid file
            started.append(state / f"{daemon}.pid")
        wait_for_idle_node()
        yield state
    finally:
        if started[1:]:
            cancel_jobs()
        for pid_file in reversed(started):
            stop(pid_file)
        if SLURM_CONF.is_file() and SLURM_CONF.read_text().startswith(CONF_MARK):
            SLURM_CONF.unlink()
        shutil.rmtree(state, ignore_errors=True)


def node_layer(directory: Path, logs: Path) -> Path:
    """A profile laid over profiles/slurm: its jobs fit this node (no GPU, little memory), and the
    job status comes from squeue, as a cluster without accounting (sacct) has no other."""
    rules = profile()["set-resources"]
    layer = {
        "jobs": 6,  # more than the node runs at once: Slurm starts the next job before snakemake polls
        "retries": 0,
        "latency-wait": 5,
        "slurm-status-command": "squeue",
        "slurm-init-seconds-before-status-checks": 3,
        "slurm-logdir": str(logs),
        "slurm-keep-successful-logs": True,
        "default-resources": {"slurm_partition": "debug", "mem_mb": 1000, "runtime": 30},
        "set-threads": {rule: 1 for rule in profile()["set-threads"]},
        "set-resources": {rule: {"mem_mb": 1000, "runtime": 30, "gpu": 0} for rule in rules},
    }
    directory.mkdir()
    (directory / "config.yaml").write_text(yaml.safe_dump(layer))
    return directory


@pytest.mark.slurm
@pytest.mark.slow
def test_micro_dag_runs_through_slurm(slurm_cluster, tmp_path):
    results, logs = tmp_path / "results", tmp_path / "slurm_logs"
    layer = node_layer(tmp_path / "node_profile", logs)
    cmd = [
        "timeout", "-s", "KILL", str(RUN_LIMIT_S), sys.executable, "-m", "snakemake",
        "--profile", "profiles/slurm", "--profile", str(layer),
        "--configfile", "config/micro.yaml", "--config", f"results_dir={results}", "replicates=1",
    ]  # fmt: skip
    env = {**os.environ, "GAPO_PROGRESS": "0"}
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    log = res.stdout + res.stderr
    assert res.returncode == 0, f"exit {res.returncode} (-9: killed after {RUN_LIMIT_S} s)\n{log[-6000:]}"

    assert (results / "tables/summary.csv").stat().st_size > 0
    for figure in FIGURES:
        assert (results / f"figures/{figure}.png").stat().st_size > 0

    # Every job went through sbatch: Slurm gave it an id, ran it to a zero exit and kept its log.
    submitted = re.findall(r"submitted with SLURM jobid (\d+) \(log: (\S+)\)", log)
    ran = {Path(path).relative_to(logs).parts[0].removeprefix("rule_") for _, path in submitted}
    assert ran == job_rules(), ran  # and no local rule (they wrote the figures and tables above)
    controller_log = (slurm_cluster / "slurmctld.log").read_text()
    for job_id, path in submitted:
        assert f"_job_complete: JobId={job_id} WEXITSTATUS 0" in controller_log, job_id
        assert Path(path).is_file(), path
