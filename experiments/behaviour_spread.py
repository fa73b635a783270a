"""The spread of tests/test_behaviour.py's numbers over seeds and torch thread counts.

    python experiments/behaviour_spread.py --seeds 0 1 2 --threads 1 2 [--world-seed 0] [--out DIR]

Runs the behaviour test's procedure (pretrain a small stand-in, train GAPO and GRPO, sample the
held-out lists) for every seed and thread count, one after another, and prints held-out JSD and NV
of each. Another thread count takes another floating-point path, as another CPU does; the test's
margins and its docstring come from this spread. A seed draws its own world (topic popularity,
corpus, lists) unless `--world-seed` fixes one: a CPU changes the training's floating-point path,
never the world, which Python's `random` draws.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from test_behaviour import behaviour_numbers  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--world-seed", type=int, help="one world for every seed (default: each seed draws its own)")
    ap.add_argument("--out", help="folder for the runs (default: a temporary one)")
    args = ap.parse_args()
    root = Path(args.out or tempfile.mkdtemp(prefix="gapo-spread-"))
    print("| seed | threads | base JSD / NV | GAPO JSD / NV | GRPO JSD / NV | seconds |")
    print("|---|---|---|---|---|---|")
    for seed in args.seeds:
        for threads in args.threads:
            start = time.perf_counter()
            numbers = behaviour_numbers(seed, threads, root / f"seed{seed}-threads{threads}", args.world_seed)
            cells = " | ".join(f"{jsd:.3f} / {nv:.1%}" for jsd, nv in (numbers[m] for m in ("base", "gapo", "grpo")))
            print(f"| {seed} | {threads} | {cells} | {time.perf_counter() - start:.0f} |", flush=True)
            (root / f"seed{seed}-threads{threads}.json").write_text(json.dumps(numbers))


if __name__ == "__main__":
    main()
