"""A toy policy over L answers, trained by GRPO's group-normalised policy gradient.

The frequency-aware group reward must take it from collapsed to near uniform; a per-sample
validity reward must not (every valid answer earns the same, so nothing favours the rare ones).
"""

import pytest
import torch

from gapo.metrics import js_divergence_from_uniform
from gapo.rewards import frequency_aware_reward

VALID = [f"item{i}" for i in range(8)]
ANSWERS = [*VALID, "off-list-a", "off-list-b"]  # two invalid answers the policy can also give


def validity(answers, valid):
    return [1.0 if a in valid else -1.0 for a in answers]


def train_toy_policy(reward, steps=300, groups=16, group_size=8, lr=0.05, seed=0):
    torch.manual_seed(seed)
    # Collapsed start: item0 has 90% of the mass, the invalid answers 2% together.
    probs = torch.tensor([0.90, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01])
    logits = torch.nn.Parameter(probs.log())
    opt = torch.optim.Adam([logits], lr=lr)
    for _ in range(steps):
        dist = torch.distributions.Categorical(logits=logits)
        idx = dist.sample((groups, group_size))
        rewards = torch.tensor([reward([ANSWERS[i] for i in row.tolist()], VALID) for row in idx], dtype=torch.float32)
        # GRPO's advantage: reward minus the group mean, over the group's standard deviation
        adv = (rewards - rewards.mean(1, keepdim=True)) / (rewards.std(1, keepdim=True) + 1e-4)
        loss = -(adv * dist.log_prob(idx)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return torch.softmax(logits.detach(), 0)


def jsd(p):
    return js_divergence_from_uniform({a: float(p[i]) for i, a in enumerate(ANSWERS)}, VALID)


def nv(p):
    return float(p[len(VALID) :].sum())


@pytest.mark.parametrize("form", ["signed", "abs"])
def test_frequency_aware_reward_moves_a_collapsed_policy_to_uniform(form):
    start = jsd(torch.tensor([0.90, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]))
    p = train_toy_policy(lambda a, v: frequency_aware_reward(a, v, form=form))
    assert jsd(p) < start / 5
    assert nv(p) < 0.02


def test_per_sample_validity_reward_stays_collapsed():
    start = jsd(torch.tensor([0.90, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]))
    p = train_toy_policy(validity)
    assert jsd(p) > start * 0.8
    assert nv(p) < 0.02
