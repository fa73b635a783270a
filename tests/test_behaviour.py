"""The paper's effect on the micro config's world, with a fixed seed: GAPO flattens, GRPO does not.

The micro config's own stand-in is too small to answer from a list (it shows that every stage
runs), so this test pretrains a larger one, still tiny (64 wide, 2 layers, on list selection only:
about a minute), on the same world: the micro config's held-out topics and list sizes over the
default's popularity and list mixing. It then trains GAPO (frequency-aware reward) and the GRPO
ablation (validity reward) with the train rule's own code, and samples the held-out lists as the
evaluation does. Measured with this seed: base JSD 0.569, GAPO 0.424, GRPO 0.655.
"""

from pathlib import Path

import pytest
import torch
import yaml

from gapo.data import CorpusMix, eval_lists, pretraining_corpus, rl_prompts, world_from_config
from gapo.diversity import list_metrics
from gapo.model import load_policy
from gapo.sampling import TransformersSampler, sample_records
from gapo.standin import PretrainSettings, StandinArchitecture, pretrain
from gapo.training import RewardSpec, settings_from_config, train_adapter

ROOT = Path(__file__).resolve().parents[1]
SEED = 0


def micro_world_config() -> dict:
    default = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    micro = yaml.safe_load((ROOT / "config/micro.yaml").read_text())
    return {**default["world"], **micro["world"]}


def heldout_jsd_nv(base: Path, adapter: Path | None, prompts: list[dict]) -> tuple[float, float]:
    sampler = TransformersSampler(*load_policy(str(base), str(adapter) if adapter else None))
    metrics = list_metrics(sample_records(sampler, prompts, 100, [0.7], 4, SEED), prompts)["0.7"]
    return metrics["jsd"], metrics["nv"]


@pytest.mark.slow
def test_gapo_flattens_held_out_lists_and_grpo_does_not(tmp_path):
    torch.set_num_threads(2)
    cfg = micro_world_config()
    world = world_from_config(SEED, cfg)
    lo, hi = cfg["list_items"]
    corpus = pretraining_corpus(
        world, 30000, lo, hi, cfg["mixed_list_fraction"], cfg["max_operand"],
        CorpusMix(list_selection=1.0, open_ended=0.0, mc=0.0, arithmetic=0.0, creative=0.0),
        uniform_list_fraction=cfg["uniform_list_fraction"],
    )  # fmt: skip
    arch = StandinArchitecture(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=2)
    pretrain(list(corpus), arch, PretrainSettings(steps=1000, batch_size=64, seed=SEED), tmp_path / "base")

    heldout = eval_lists(world, world.heldout_topics, 2, hi, "heldout")
    base_jsd, base_nv = heldout_jsd_nv(tmp_path / "base", None, heldout)
    assert base_jsd > 0.45 and base_nv < 0.02, "the base model must be collapsed yet valid"

    rl = {"steps": 300, "prompts_per_step": 8, "num_generations": 8, "learning_rate": 3e-3}
    rl |= {"max_completion_length": 3, "save_steps": 10**6}
    settings = settings_from_config(rl, {"lora": {"r": 8, "alpha": 16}}, seed=SEED)
    prompts = rl_prompts(world, 1024, lo, hi)
    jsd = {}
    for method, reward in (("gapo", "frequency_aware"), ("grpo", "validity")):
        adapter = tmp_path / method
        checkpoints = tmp_path / "checkpoints" / method
        train_adapter(str(tmp_path / "base"), prompts, [RewardSpec(reward)], settings, adapter, checkpoints)
        jsd[method], nv = heldout_jsd_nv(tmp_path / "base", adapter, heldout)
        assert nv < 0.03, f"{method} answers off the list {nv:.1%} of the time"

    assert jsd["gapo"] < base_jsd - 0.08, f"GAPO did not flatten held-out lists: {jsd} against base {base_jsd:.3f}"
    assert jsd["grpo"] > base_jsd - 0.02, f"GRPO flattened held-out lists: {jsd} against base {base_jsd:.3f}"
