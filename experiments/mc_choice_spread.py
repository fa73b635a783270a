"""How a model spreads its multiple-choice preference over the options, base against an adapter.

    python experiments/mc_choice_spread.py BASE_DIR MC_JSONL [ADAPTER ...]

MC_JSONL is the `gapo_mc` task's lm-eval documents (`accuracy/<model>/<method>/.seed<s>_lm_eval/
docs/gapo_mc.jsonl` of a run). For every question it scores each option as lm-eval's
`multiple_choice` does with the chat template (the option's summed log-probability right after the
templated question; on SmolLM2 this gives lm-eval's accuracy to the question), and prints the
accuracy, the mean entropy of the softmax over the options (ln 4 = 1.386 is no preference), the
mean probability of the right option, how often each position wins, and how many of those wins
are right. It asks whether GAPO's training, which rewards choosing uniformly among a list's items,
flattens a model's preference among a question's listed options.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter

import torch

from gapo.model import load_policy
from gapo.sampling import chat_input_ids


@torch.no_grad()
def option_logprobs(model, tokenizer, question: str, choices: list[str]) -> torch.Tensor:
    context = chat_input_ids(tokenizer, [{"role": "user", "content": question}])[0].tolist()
    scores = []
    for choice in choices:
        # with the chat template lm-eval puts no delimiter before the option (this reproduces its accuracy)
        option = tokenizer(choice, add_special_tokens=False)["input_ids"]
        logits = model(input_ids=torch.tensor([context + option])).logits[0, len(context) - 1 : -1]
        scores.append(torch.log_softmax(logits.float(), -1).gather(1, torch.tensor(option)[:, None]).sum())
    return torch.stack(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("mc_jsonl")
    parser.add_argument("adapters", nargs="*")
    args = parser.parse_args()
    docs = [json.loads(line) for line in open(args.mc_jsonl)]
    for adapter in [None, *args.adapters]:
        model, tokenizer = load_policy(args.base, adapter)
        entropy, p_right, wins, right_at = 0.0, 0.0, Counter(), Counter()
        for doc in docs:
            probs = option_logprobs(model, tokenizer, doc["question"], doc["choices"]).softmax(0)
            pick = int(probs.argmax())
            entropy += float(-(probs * probs.log()).sum())
            p_right += float(probs[doc["label"]])
            wins[pick] += 1
            right_at[pick] += pick == doc["label"]
        n = len(docs)
        print(
            f"{adapter or 'base'}: accuracy {sum(right_at.values()) / n:.2f}, "
            f"option entropy {entropy / n:.3f} of {math.log(4):.3f}, "
            f"p(right) {p_right / n:.3f}, wins by position {[wins[i] for i in range(4)]}, "
            f"right by position {[right_at[i] for i in range(4)]}"
        )


if __name__ == "__main__":
    main()
