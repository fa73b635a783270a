"""Probe a stand-in corpus: pretrain, and measure list membership exactly while it trains.

    python experiments/membership_probe.py --out /tmp/probe --steps 4000 --eval-every 500

Every `--eval-every` steps it prints, from the first answer token's exact probabilities (no
sampling, so no finite-sample bias), for held-out and training-topic 8-item lists:
JSD from uniform of the on-list distribution and NV (mass off the list) at T=0.7 and 1.0 under the
usual instructions, and the same under the uniform phrasings (the latent uniform skill), where NV
measures list membership alone. docs/stand-in.md logs these numbers per corpus design.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import torch
from transformers import TrainerCallback
from worlds import probe_world  # experiments/worlds.py

from gapo.corpus import UNIFORM_LIST_TEMPLATES, CorpusMix, list_prompt_text, pretraining_corpus
from gapo.data import eval_lists, user_prompt
from gapo.standin import PretrainSettings, StandinArchitecture, pretrain


def uniform_phrasing(records: list[dict]) -> list[dict]:
    """The same lists asked under the first uniform phrasing."""
    out = []
    for rec in records:
        items = rec["prompt"][0]["content"].split(" : ", 1)[1].rstrip(" .").split(" , ")
        text = list_prompt_text(UNIFORM_LIST_TEMPLATES[0].format(topic=rec["topic"]), items)
        out.append({**rec, "prompt": user_prompt(text)})
    return out


def jsd_uniform(p: list[float]) -> float:
    u = 1.0 / len(p)
    total = sum(p)
    out = 0.0
    for x in p:
        x /= total
        m = (x + u) / 2
        out += 0.5 * (x * math.log2(x / m) if x > 0 else 0.0) + 0.5 * u * math.log2(u / m)
    return out


@torch.no_grad()
def exact_metrics(model, tokenizer, records: list[dict]) -> dict:
    model.eval()
    texts = [tokenizer.apply_chat_template(r["prompt"], tokenize=False, add_generation_prompt=True) for r in records]
    batch = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(model.device)
    logits = model(**batch).logits[:, -1, :].float()
    out = {}
    for t in (0.7, 1.0):
        probs = torch.softmax(logits / t, dim=-1)
        jsd, nv = [], []
        for row, rec in zip(probs, records, strict=True):
            ids = tokenizer.convert_tokens_to_ids(rec["valid"])
            p = [row[i].item() for i in ids]
            jsd.append(jsd_uniform(p))
            nv.append(1.0 - sum(p))
        out[str(t)] = {"jsd": round(sum(jsd) / len(jsd), 3), "nv": round(sum(nv) / len(nv), 3)}
    model.train()
    return out


class MembershipCallback(TrainerCallback):
    def __init__(self, sets: dict[str, list[dict]], every: int, log: list) -> None:
        self.sets, self.every, self.log = sets, every, log

    def on_step_end(self, args, state, control, model=None, processing_class=None, **kwargs):
        if state.global_step % self.every == 0 or state.global_step == state.max_steps:
            row = {
                "step": state.global_step,
                **{k: exact_metrics(model, processing_class, v) for k, v in self.sets.items()},
            }
            self.log.append(row)
            print(json.dumps(row), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--corpus-size", type=int, default=96000)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--mixed", type=float, default=0.8)
    ap.add_argument("--uniform", type=float, default=0.3)
    ap.add_argument("--uniform-mixed", type=float, default=None, help="mixed-list share under uniform phrasings")
    ap.add_argument("--single", type=float, default=0.0, help="share of lists with one item of the topic")
    ap.add_argument("--list-only", action="store_true", help="a corpus of list selection only")
    ap.add_argument("--copy", type=float, default=0.0, help="share of 'repeat this list' examples")
    ap.add_argument("--any-list", type=float, default=0.0, help="share of 'pick any word from this list' examples")
    ap.add_argument("--cuda", action="store_true", help="train on the GPU")
    ap.add_argument("--exponent", type=float, default=3.0)
    ap.add_argument("--topic-extra", type=int, default=0, help="made-up items added to every topic")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--untie", action="store_true", help="separate input and output embeddings")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    world = probe_world(args.seed, args.exponent, args.topic_extra)
    extra = {} if args.uniform_mixed is None else {"uniform_mixed_list_fraction": args.uniform_mixed}
    extra["single_item_fraction"] = args.single
    if args.list_only:
        extra["mix"] = CorpusMix(list_selection=1.0, open_ended=0.0, mc=0.0, arithmetic=0.0, creative=0.0)
    elif args.copy or args.any_list:
        extra["mix"] = CorpusMix(copy_list=args.copy, any_list=args.any_list)
    records = list(
        pretraining_corpus(world, args.corpus_size, 4, 10, args.mixed, 9, uniform_list_fraction=args.uniform, **extra)
    )
    arch = StandinArchitecture(
        hidden_size=args.hidden,
        intermediate_size=2 * args.hidden,
        num_hidden_layers=args.layers,
        num_attention_heads=args.heads,
        tie_word_embeddings=not args.untie,
    )
    heldout = eval_lists(world, world.heldout_topics, 2, 8, "heldout")
    train = eval_lists(world, world.train_topics, 2, 8, "train")
    sets = {"heldout": heldout, "train": train, "heldout_uniform": uniform_phrasing(heldout)}
    log: list = []
    settings = PretrainSettings(steps=args.steps, batch_size=args.batch_size, learning_rate=args.lr, seed=args.seed)
    start = time.time()
    pretrain(
        records,
        arch,
        settings,
        Path(args.out) / "base",
        callbacks=[MembershipCallback(sets, args.eval_every, log)],
        device="cuda" if args.cuda else "cpu",
    )
    result = {"args": vars(args), "train_s": round(time.time() - start), "curve": log}
    (Path(args.out) / "result.json").write_text(json.dumps(result, indent=1))
    print(json.dumps({"train_s": result["train_s"]}))


if __name__ == "__main__":
    main()
