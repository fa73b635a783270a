"""The default study on another floating-point path: does it reach the same verdicts?

    python benchmarks/fp_path.py --reference results [--threads 1] [--keep DIR]
    python benchmarks/fp_path.py --reference README.md --threads rules   # this machine against the README

Another CPU runs other kernels and so follows another floating-point path; RL amplifies the
difference. This runs the whole default DAG into a fresh results directory with every rule that
runs a model on `--threads` torch threads (pretraining takes 2 by default, so 1 moves the base
model, and everything after it, onto another path; `rules` keeps each rule's own, as the default
run), then prints its targets next to the reference's. It exits 1 if a target the reference meets
is missed here and either verdict is settled (its 95% CI clear of the target); a verdict that
turns with the target inside both intervals is the seed spread, and is counted, not failed. The
reference is a finished run's results directory, or the README, whose published table is the run
behind it: that is how a user checks their machine against the README.
Prints whether the base model's weights differ from the reference's (the paths really differ;
only a results directory has them) and the wall time. `--keep` a finished run's results
directory, and only the comparison is made (Snakemake finds everything up to date).

On some CPUs the thread count changes nothing (an AVX2 machine gave the reference's weights to the
bit at 1 thread). The kernels' instruction set does: `ATEN_CPU_CAPABILITY=default` in the
environment makes every job run torch's portable kernels instead of the vectorised ones, another
path for every matmul and reduction, at about half the speed on an AVX2 machine, 9% slower on an AVX-512 one.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gapo.publish import published_block, target_rows, verdicts_contradict

ROOT = Path(__file__).resolve().parents[1]
MODEL_RULES = ("base_model", "train", "sample", "coherence", "accuracy", "temperature_sweep", "bias")


def summary_text(reference: Path) -> str:
    """The summary table of a results directory, or the one the README publishes (`gapo.publish`)."""
    if reference.is_dir():
        return (reference / "tables/summary.md").read_text()
    try:
        return published_block(reference.read_text(), "results")
    except ValueError as err:
        raise SystemExit(f"{reference} is neither a results directory nor a README with a summary: {err}") from None


def weights_digest(results: Path) -> str | None:
    weights = results / "models/standin/base/seed0/model.safetensors"
    return hashlib.sha256(weights.read_bytes()).hexdigest()[:16] if weights.is_file() else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", required=True, help="results directory of a finished default run, or README.md")
    ap.add_argument(
        "--threads", default="1", help="torch threads of every rule that runs a model, or 'rules' for each rule's own"
    )
    ap.add_argument("--cores", default="2")
    ap.add_argument("--keep", help="results directory to use and keep (default: a temporary one)")
    args = ap.parse_args()
    if args.threads != "rules" and not args.threads.isdigit():
        ap.error(f"--threads {args.threads}: give a number of threads or 'rules'")
    reference = Path(args.reference).resolve()
    results = Path(args.keep or tempfile.mkdtemp(prefix="gapo-fp-path-")).resolve()
    cmd = [sys.executable, "-m", "snakemake", "--cores", args.cores, "--config", f"results_dir={results}"]
    if args.threads != "rules":
        cmd += ["--set-threads", *(f"{rule}={int(args.threads)}" for rule in MODEL_RULES)]
    start = time.perf_counter()
    log = results.parent / f"{results.name}.log"
    with log.open("w") as fh:
        if subprocess.run(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT).returncode:
            sys.exit(f"the DAG failed; see {log}")
    wall = time.perf_counter() - start
    ours, theirs = target_rows(summary_text(results)), target_rows(summary_text(reference))
    threads = "each rule on its own threads" if args.threads == "rules" else f"every model rule on {args.threads}"
    print(f"results: {results} ({wall:.0f} s, {threads})")
    digest, reference_digest = weights_digest(results), weights_digest(reference)
    if reference_digest is None:
        print("base model weights not compared (the reference holds no weights)")
    else:
        print(f"base model weights {'identical to' if digest == reference_digest else 'differ from'} the reference's")
    print("\n| claim | metric | target | reference: met, settled | this path: met, settled |\n|---|---|---|---|---|")
    lost = turned = 0
    for mine, ref in zip(ours, theirs, strict=True):
        print(
            f"| {mine['claim']} | {mine['metric']} | {mine['target']} | {ref['measured']} ({ref['met']}, "
            f"{ref['settled']}) | {mine['measured']} ({mine['met']}, {mine['settled']}) |"
        )
        lost += verdicts_contradict(ref, mine)
        turned += ref["met"] != mine["met"] and ref["settled"] == mine["settled"] == "no"
    print(f"\n{turned} verdict(s) turned with the target inside both intervals (the seed spread)")
    print(f"{lost} target(s) the reference meets are missed on this path, with a settled verdict on either side")
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
