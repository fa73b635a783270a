"""Baseline bias analysis (paper Fig. 2): how concentrated a model's choice from a list is.

(a) one fixed list under each of two instructions, sampled many times;
(b) the same instruction over many shuffles of the list, one sample each, which separates a
preference for an item from a preference for a position.
"""

from __future__ import annotations

from collections import Counter

from transformers import PreTrainedModel, PreTrainedTokenizerBase

from gapo.metrics import answer_distribution, js_divergence_from_uniform, jsd_or_none, nv_rate
from gapo.parsing import extract_choice
from gapo.sampling import sample_texts, stable_seed


def _summary(answers: list[str | None], support: list[str]) -> dict:
    dist = answer_distribution(answers, support)
    ranked = sorted(((p, i) for i, p in dist.items() if i != "NV"), reverse=True)
    return {
        "distribution": dist,
        "top1": {"item": ranked[0][1], "p": ranked[0][0]},
        "top2": {"item": ranked[1][1], "p": ranked[1][0]},
        "jsd": jsd_or_none(js_divergence_from_uniform(Counter(a for a in answers if a is not None), support)),
        "nv": nv_rate(answers),
        "n": len(answers),
    }


def bias_analysis(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompts: dict[str, list[dict]],
    n_samples: int,
    temperature: float,
    max_new_tokens: int,
    seed: int,
) -> dict:
    """Fig. 2 numbers for one model from `gapo.data.bias_prompts` output."""
    result: dict = {"temperature": temperature}
    for name, recs in prompts.items():
        if name == "shuffled":
            continue
        (rec,) = recs
        texts = sample_texts(
            model, tokenizer, rec["prompt"], n_samples, temperature, max_new_tokens, stable_seed(seed, name)
        )
        result[name] = {"prompt": rec["prompt"][0]["content"]} | _summary(
            [extract_choice(t, rec["valid"]) for t in texts], rec["valid"]
        )
    answers, positions = [], Counter()
    for k, rec in enumerate(prompts["shuffled"]):
        (text,) = sample_texts(
            model, tokenizer, rec["prompt"], 1, temperature, max_new_tokens, stable_seed(seed, "shuf", k)
        )
        answer = extract_choice(text, rec["valid"])
        answers.append(answer)
        if answer is not None:
            positions[rec["shown"].index(answer)] += 1
    shuffled = _summary(answers, prompts["shuffled"][0]["valid"])
    n = len(answers)
    shuffled["position"] = {str(p): positions.get(p, 0) / n for p in range(len(prompts["shuffled"][0]["valid"]))}
    result["shuffled"] = {"prompt_example": prompts["shuffled"][0]["prompt"][0]["content"]} | shuffled
    return result
