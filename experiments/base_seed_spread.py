"""How much of GAPO's spread comes from the base model: the default study's RL on bases pretrained
with other seeds (the same world, corpus and RL prompts).

    python experiments/base_seed_spread.py --results results --base-seeds 1 2 [--rl-seeds 0] [--out DIR]

A run that pretrains one base and replicates only RL and sampling says nothing, in its intervals,
of how a base pretrained on another floating-point path would differ; this measured how much that
is (docs/stand-in.md), and is why the default now pretrains a base per seed. It pretrains the
stand-in again with each `--base-seeds` seed (initialisation and batch order; the world stays the
run's), trains GAPO with the default config's RL on each for every `--rl-seeds` seed, so that the
base's share of the spread shows apart from RL's, and prints held-out JSD and NV at T=0.7 of the
base and of GAPO, scored as the evaluation scores them (100 samples of the run's 12 held-out lists).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import torch
import yaml

from gapo.data import eval_lists, world_from_config
from gapo.diversity import list_metrics
from gapo.io import read_jsonl
from gapo.model import load_policy
from gapo.sampling import TransformersSampler, sample_records
from gapo.standin import PretrainSettings, StandinArchitecture, pretrain
from gapo.training import RewardSpec, settings_from_config, train_adapter

ROOT = Path(__file__).resolve().parents[1]


def heldout(base: Path, adapter: Path | None, lists: list[dict], seed: int, config: dict) -> tuple[float, float]:
    ev = config["evaluation"]
    sampler = TransformersSampler(*load_policy(str(base), str(adapter) if adapter else None))
    records = sample_records(sampler, lists, ev["samples"]["list"], [0.7], ev["max_new_tokens"]["list"], seed)
    metrics = list_metrics(records, lists)["0.7"]
    return metrics["jsd"], metrics["nv"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", default="results", help="a finished default run (its corpus, prompts and lists)")
    ap.add_argument("--base-seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rl-seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--out", help="folder for the models (default: a temporary one)")
    args = ap.parse_args()
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    results, out = Path(args.results), Path(args.out or tempfile.mkdtemp(prefix="gapo-base-seeds-"))
    data = results / "data/standin"
    corpus, prompts, lists = (read_jsonl(p) for p in (results / "data/pretrain.jsonl", data / "rl_prompts.jsonl",
                                                      data / "heldout_lists.jsonl"))  # fmt: skip
    world = world_from_config(config["seed"], config["world"])
    probe_lists = eval_lists(world, world.heldout_topics, 4, 8, "membership-probe")
    standin, rl = config["standin"], config["rl"]
    print("| base seed | RL seed | base JSD / NV | GAPO JSD / NV | seconds |\n|---|---|---|---|---|")
    for base_seed in args.base_seeds:
        start = time.perf_counter()
        base = out / f"base{base_seed}"
        torch.set_num_threads(2)  # the threads of each rule in the default run: base_model 2, the rest 1
        if not (base / "config.json").is_file():
            settings = PretrainSettings(**standin["pretrain"], seed=base_seed)
            pretrain(corpus, StandinArchitecture(**standin["architecture"]), settings, base, probe_lists=probe_lists)
        torch.set_num_threads(1)
        base_numbers = heldout(base, None, lists, config["seed"], config)
        for rl_seed in args.rl_seeds:
            adapter = out / f"gapo-base{base_seed}-seed{rl_seed}"
            settings = settings_from_config(rl["common"], {}, seed=rl_seed)
            rewards = [RewardSpec.from_config(r) for r in rl["methods"]["gapo"]["rewards"]]
            train_adapter(str(base), prompts, rewards, settings, adapter, out / "checkpoints" / adapter.name)
            gapo = heldout(base, adapter, lists, rl_seed, config)
            cells = " | ".join(f"{jsd:.3f} / {nv:.1%}" for jsd, nv in (base_numbers, gapo))
            print(f"| {base_seed} | {rl_seed} | {cells} | {time.perf_counter() - start:.0f} |", flush=True)


if __name__ == "__main__":
    main()
