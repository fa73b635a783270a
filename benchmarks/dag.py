"""The default DAG from cold: wall time, peak memory of the whole process tree, and a no-op rerun.

    python benchmarks/dag.py [--configfile config/config.yaml] [--cores 2] [--keep DIR]

Runs snakemake into a fresh results directory, sampling the summed resident memory of snakemake
and every job it starts twice a second, then runs snakemake again on the finished directory (nothing
to do) and times that. Prints the figures; targets: cold <= 600 s, peak <= 4 GiB, no-op <= 5 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(cmd: list[str], log: Path) -> tuple[float, int]:
    """Wall seconds and peak summed RSS (bytes) of `cmd` and its descendants."""
    start = time.perf_counter()
    with log.open("w") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT)
        watched = psutil.Process(proc.pid)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(watched))
            time.sleep(0.5)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed (exit {proc.returncode}); see {log}")
    return time.perf_counter() - start, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configfile", default="config/config.yaml")
    ap.add_argument("--cores", default="2")
    ap.add_argument("--keep", help="results directory to use and keep (default: a temporary one)")
    args = ap.parse_args()
    results = Path(args.keep or tempfile.mkdtemp(prefix="gapo-bench-")).resolve()
    results.parent.mkdir(parents=True, exist_ok=True)
    base = [sys.executable, "-m", "snakemake", "--cores", args.cores, "--configfile", args.configfile,
            "--config", f"results_dir={results}"]  # fmt: skip
    cold, peak = run(base, results.parent / f"{results.name}-cold.log")
    noop, _ = run(base, results.parent / f"{results.name}-noop.log")
    print(f"results:            {results}")
    print(f"cold DAG:           {cold:7.1f} s  (target <= 600 s)")
    print(f"peak memory (tree): {peak / 2**30:7.2f} GiB  (target <= 4 GiB)")
    print(f"no-op rerun:        {noop:7.1f} s  (target <= 5 s)")


if __name__ == "__main__":
    main()
