"""Where pretraining's time goes: its achieved FLOP/s against this machine's own fp32 matmul rate.

    python benchmarks/pretrain_flops.py [--configfile config/config.yaml] [--steps 150] [--threads 1 2]

In one run, per thread count: the machine's fp32 matmul rate (a large square product, and products
of the stand-in's own shapes), then `steps` steps of the stand-in's pretraining twice on the same
corpus: through `gapo.standin.pretrain` (TRL's SFTTrainer, as the DAG runs it) and as a bare
forward/backward/AdamW loop. FLOPs per batch are counted by torch's FlopCounterMode on a forward
and backward pass, so the figures are exact for this model. Prints GFLOP/s, the share of padding,
and each rate as a fraction of the large-matmul rate; `--micro-batches` compares batches cut by
length into micro-batches (`standin.pretrain.micro_batches`) with whole ones.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import torch
import yaml
from torch.utils.flop_counter import FlopCounterMode
from transformers import TrainerCallback

from gapo.corpus import corpus_from_config
from gapo.standin import (
    PretrainSettings,
    SortedBatchSampler,
    StandinArchitecture,
    build_model,
    build_tokenizer,
    corpus_texts,
    pretrain,
    tokenize_corpus,
)

ROOT = Path(__file__).resolve().parents[1]


def matmul_gflops(m: int, k: int, n: int, seconds: float = 1.0) -> float:
    a, b = torch.randn(m, k), torch.randn(k, n)
    torch.mm(a, b)
    reps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        torch.mm(a, b)
        reps += 1
    return 2 * m * k * n * reps / (time.perf_counter() - start) / 1e9


def padded_batches(dataset, pad_id: int, batch_size: int, steps: int, seed: int, micro: int) -> list[dict]:
    """The micro-batches of the first `steps` batches as pretraining draws them (`SortedBatchSampler`
    cut into `micro` micro-batches), each right-padded to its longest example as TRL's collator pads."""
    order = list(SortedBatchSampler([len(x) for x in dataset["input_ids"]], batch_size, seed))
    batch_size //= micro
    out = []
    for s in range(steps * micro):
        rows = dataset[order[s * batch_size : (s + 1) * batch_size]]
        width = max(len(x) for x in rows["input_ids"])
        ids = torch.full((batch_size, width), pad_id)
        labels = torch.full((batch_size, width), -100)
        mask = torch.zeros((batch_size, width), dtype=torch.long)
        for i, (x, y) in enumerate(zip(rows["input_ids"], rows["labels"], strict=True)):
            ids[i, : len(x)], labels[i, : len(y)], mask[i, : len(x)] = torch.tensor(x), torch.tensor(y), 1
        out.append({"input_ids": ids, "labels": labels, "attention_mask": mask})
    return out


def train_flops(model, batch: dict) -> int:
    counter = FlopCounterMode(display=False)
    with counter:
        model(**batch).loss.backward()
    model.zero_grad(set_to_none=True)
    return counter.get_total_flops()


class StepClock(TrainerCallback):
    def __init__(self, skip: int) -> None:
        self.skip, self.start, self.seconds = skip, 0.0, 0.0

    def on_step_begin(self, args, state, control, **kwargs):
        if state.global_step == self.skip:
            self.start = time.perf_counter()

    def on_train_end(self, args, state, control, **kwargs):
        self.seconds = time.perf_counter() - self.start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configfile", default=str(ROOT / "config/config.yaml"))
    ap.add_argument("--steps", type=int, default=150)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--micro-batches", type=int, help="micro-batches per batch (default: the config's)")
    args = ap.parse_args()
    os.environ["GAPO_PROGRESS"] = "0"
    cfg = yaml.safe_load(Path(args.configfile).read_text())
    records = list(corpus_from_config(cfg["seed"], cfg["world"], cfg["standin"]["corpus_size"]))
    arch = StandinArchitecture(**cfg["standin"]["architecture"])
    pre = cfg["standin"]["pretrain"]
    tokenizer = build_tokenizer(corpus_texts(records))
    dataset = tokenize_corpus(records, tokenizer)
    micro = args.micro_batches or pre.get("micro_batches", 1)
    pre = {**pre, "micro_batches": micro}
    batches = padded_batches(dataset, tokenizer.pad_token_id, pre["batch_size"], args.steps, cfg["seed"], micro)
    tokens = sum(b["input_ids"].numel() for b in batches)
    real = sum(int(b["attention_mask"].sum()) for b in batches)
    model = build_model(tokenizer, arch, cfg["seed"])
    flops = sum(train_flops(model, b) for b in batches)  # a forward and backward pass per batch
    width = arch.hidden_size
    print(f"model: {model.num_parameters() / 1e6:.2f}M parameters; {args.steps} steps of batch {pre['batch_size']}, "
          f"in {micro} micro-batch(es) each")  # fmt: skip
    print(f"tokens per step {tokens / args.steps:.0f}, of which padding {1 - real / tokens:.1%}")
    print(f"training FLOPs per step (forward + backward, counted): {flops / args.steps / 1e9:.2f} G\n")
    print("| threads | matmul 2048^3 GFLOP/s | model-shape matmul GFLOP/s | bare loop GFLOP/s | SFTTrainer GFLOP/s "
          "| bare / matmul | SFTTrainer / matmul | SFTTrainer s/step |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for threads in args.threads:
        torch.set_num_threads(threads)
        peak = matmul_gflops(2048, 2048, 2048)
        rows = int(tokens / args.steps)
        shape = (matmul_gflops(rows, width, arch.intermediate_size) + matmul_gflops(rows, width, width)) / 2

        model = build_model(tokenizer, arch, cfg["seed"])
        opt = torch.optim.AdamW(model.parameters(), lr=pre["learning_rate"], weight_decay=0.0)
        warm = 5
        for i, b in enumerate(batches):
            if i == warm * micro:
                start = time.perf_counter()
            model(**b).loss.backward()
            if (i + 1) % micro == 0:
                opt.step()
                opt.zero_grad(set_to_none=True)
        bare_s = time.perf_counter() - start
        timed = flops * (args.steps - warm) / args.steps

        clock = StepClock(skip=warm)
        settings = PretrainSettings(**{**pre, "steps": args.steps, "probe_every": 0}, seed=cfg["seed"])
        with tempfile.TemporaryDirectory(prefix="gapo-flops-") as tmp:
            pretrain(records, arch, settings, Path(tmp), callbacks=[clock])
        sft_s = clock.seconds
        bare, sft = timed / bare_s / 1e9, timed / sft_s / 1e9
        print(f"| {threads} | {peak:.1f} | {shape:.1f} | {bare:.1f} | {sft:.1f} | {bare / peak:.0%} | "
              f"{sft / peak:.0%} | {sft_s / (args.steps - warm):.3f} |")  # fmt: skip


if __name__ == "__main__":
    main()
