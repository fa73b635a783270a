import functools

import pytest
import torch
import trl
from datasets import Dataset
from peft import LoraConfig, get_peft_model
from transformers import TrainerCallback
from trl.trainer.utils import add_fused_lm_head

import gapo.trainer
from gapo.data import eval_lists, rl_prompts
from gapo.model import load_policy
from gapo.rewards import GroupReward, validity_reward
from gapo.trainer import (
    GAPOTrainer,
    draws_dropout,
    group_diagnostics,
    score_groups,
    shared_prefix_log_probs,
    shared_prompt_reading,
)
from gapo.training import RewardSpec, RLSettings, grpo_config, settings_from_config


class Recorder(GroupReward):
    """A group reward that records what it is called with and prefers shorter completions."""

    def __init__(self):
        self.calls = []

    def __call__(self, prompt, completions, **columns):
        self.calls.append((prompt, list(completions), columns))
        return [-float(len(str(c))) for c in completions]


def test_score_groups_calls_once_per_group_with_that_prompts_columns():
    rec = Recorder()
    prompts = ["p", "p", "q", "q"]
    got = score_groups(rec, prompts, ["a", "bb", "c", "dd"], {"valid": [["a"], ["a"], ["c"], ["c"]]}, 2)
    assert got == [-1.0, -2.0, -1.0, -2.0]
    assert rec.calls == [("p", ["a", "bb"], {"valid": ["a"]}), ("q", ["c", "dd"], {"valid": ["c"]})]


def test_group_diagnostics_count_valid_and_distinct_answers_per_group():
    got = group_diagnostics(["a", "a", None, "b", "c", None, None, None], group_size=4)
    assert got == {"groups/valid_fraction": 0.5, "groups/distinct_answers": (2 + 1) / 2}


def test_score_groups_rejects_split_or_mixed_groups():
    with pytest.raises(ValueError, match="do not split"):
        score_groups(Recorder(), ["p"] * 3, ["a"] * 3, {}, 2)
    with pytest.raises(ValueError, match="do not share one prompt"):
        score_groups(Recorder(), ["p", "q"], ["a", "b"], {}, 2)


def test_gapo_trainer_gives_group_rewards_whole_groups_and_mixes_per_sample_rewards(tiny_model_dir, world, tmp_path):
    rec = Recorder()
    trainer = two_step_trainer(
        GAPOTrainer, tiny_model_dir, world, tmp_path,
        [rec, validity_reward], [RewardSpec("recorder"), RewardSpec("validity", weight=0.5)],
    )  # fmt: skip
    trainer.train()
    assert len(rec.calls) == 2 * 2  # steps x prompts per step
    for prompt, completions, columns in rec.calls:
        assert len(completions) == 4
        assert set(columns) == {"valid", "topic"}
        assert isinstance(prompt, list) and prompt[0]["role"] == "user"
    logged = trainer.state.log_history[0]
    assert "rewards/Recorder/mean" in logged and "rewards/validity_reward/mean" in logged
    assert 0 <= logged["groups/valid_fraction"] <= 1 and 0 <= logged["groups/distinct_answers"] <= 4


def test_num_iterations_reuses_each_batch_of_rollouts(tiny_model_dir, world, tmp_path):
    """rl.common.num_iterations (GRPO's mu) reaches TRL: 4 optimiser steps from 2 batches of rollouts."""
    common = {"steps": 4, "prompts_per_step": 2, "num_generations": 4, "max_completion_length": 3, "save_steps": 10}
    settings = settings_from_config(common, {"num_iterations": 2}, seed=0)
    rec = Recorder()
    trainer = two_step_trainer(
        GAPOTrainer, tiny_model_dir, world, tmp_path, [rec], [RewardSpec("recorder")], settings=settings
    )
    trainer.train()
    assert trainer.state.global_step == 4
    assert len(rec.calls) == 2 * 2  # 2 batches of rollouts x 2 prompts, each batch used twice


class GradientRecorder(TrainerCallback):
    """Keeps every LoRA gradient just before each optimizer step."""

    def __init__(self):
        self.grads = []

    def on_pre_optimizer_step(self, args, state, control, model=None, **kwargs):
        self.grads.append({k: p.grad.detach().clone() for k, p in model.named_parameters() if p.grad is not None})


def shorter_is_better(completions, **_):
    """A per-sample reward with variance even for an untrained model (whose answers are all invalid)."""
    return [-float(len(str(c))) for c in completions]


def two_step_trainer(trainer_cls, model_dir, world, out, reward_funcs, specs, callbacks=(), settings=None):
    """A 2-step trainer of `trainer_cls` (GAPOTrainer or trl.GRPOTrainer) on the tiny model, G=4,
    unless `settings` says otherwise."""
    model, tok = load_policy(str(model_dir))
    model.train()
    prompts = rl_prompts(world, 16, 4, 6)
    dataset = Dataset.from_list([{k: p[k] for k in ("prompt", "valid", "topic")} for p in prompts])
    settings = settings or RLSettings(
        steps=2, prompts_per_step=2, num_generations=4, max_completion_length=3, save_steps=10
    )
    return trainer_cls(
        model=model,
        reward_funcs=reward_funcs,
        args=grpo_config(settings, out, specs),
        train_dataset=dataset,
        processing_class=tok,
        peft_config=LoraConfig(r=2, lora_alpha=4, target_modules="all-linear", task_type="CAUSAL_LM"),
        callbacks=list(callbacks),
    )


def _train_two_steps(trainer_cls, model_dir, world, out):
    grads = GradientRecorder()
    trainer = two_step_trainer(
        trainer_cls, model_dir, world, out,
        [validity_reward, shorter_is_better], [RewardSpec("validity"), RewardSpec("shorter", weight=0.1)], [grads],
    )  # fmt: skip
    trainer.train()
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    return losses, grads.grads


def test_with_per_sample_rewards_gapo_trainer_is_grpo_trainer(tiny_model_dir, world, tmp_path):
    loss_grpo, grads_grpo = _train_two_steps(trl.GRPOTrainer, tiny_model_dir, world, tmp_path / "grpo")
    loss_gapo, grads_gapo = _train_two_steps(GAPOTrainer, tiny_model_dir, world, tmp_path / "gapo")
    assert loss_gapo == loss_grpo and len(loss_gapo) == 2
    assert len(grads_gapo) == len(grads_grpo) == 2
    for step_gapo, step_grpo in zip(grads_gapo, grads_grpo, strict=True):
        assert step_gapo.keys() == step_grpo.keys() and step_gapo
        assert any(g.abs().sum() > 0 for g in step_grpo.values())
        for k in step_grpo:
            assert torch.equal(step_gapo[k], step_grpo[k]), k


def test_a_group_reward_without_a_valid_set_trains_on_creative_prompts(tiny_model_dir, tmp_path):
    from gapo.data import rl_creative_prompts
    from gapo.training import train_adapter

    prompts = rl_creative_prompts(0, 16)
    assert all("valid" not in p and p["task"] == "creative" for p in prompts)
    settings = RLSettings(steps=2, prompts_per_step=2, num_generations=4, max_completion_length=6, save_steps=10)
    history = train_adapter(
        str(tiny_model_dir),
        prompts,
        [RewardSpec("embedding_diversity")],
        settings,
        tmp_path / "adapter",
        tmp_path / "checkpoints",
    )
    logged = [h for h in history if "reward" in h]
    assert len(logged) == 2 and all(0 <= h["reward"] <= 2 for h in logged)
    assert "groups/valid_fraction" not in logged[0]


def test_reading_each_prompt_once_changes_no_completion(tiny_model_dir, world):
    """GRPO's batch repeats each prompt G times; reading it once must sample the same tokens."""
    model, tok = load_policy(str(tiny_model_dir))
    prompts = eval_lists(world, world.heldout_topics, 1, 4, "a") + eval_lists(world, world.train_topics[:2], 1, 9, "b")
    texts = [tok.apply_chat_template(p["prompt"], add_generation_prompt=True, tokenize=False) for p in prompts]
    enc = tok(texts, padding=True, return_tensors="pt")
    assert (enc.attention_mask == 0).any()  # rows of different lengths, left-padded
    ids, mask = enc.input_ids.repeat_interleave(8, 0), enc.attention_mask.repeat_interleave(8, 0)
    tokens_read = []
    model.get_input_embeddings().register_forward_hook(lambda m, args, out: tokens_read.append(args[0].numel()))

    def generate():
        torch.manual_seed(0)
        return model.generate(
            input_ids=ids, attention_mask=mask, do_sample=True, top_k=0, max_new_tokens=3, pad_token_id=tok.pad_token_id
        )

    plain = generate()
    plain_read, tokens_read[:] = sum(tokens_read), []
    with shared_prompt_reading(model):
        shared = generate()
    assert torch.equal(plain, shared)
    assert sum(tokens_read) < plain_read / 4
    assert "generate" not in vars(model)  # the model is left as it was


def test_prompts_are_read_per_row_when_generation_draws_dropout(tiny_model_dir):
    """With LoRA dropout, each of the G rows must draw its own mask, as in TRL's own generation."""
    from peft import get_peft_model

    model, _ = load_policy(str(tiny_model_dir))
    assert not draws_dropout(model.train())  # the stand-in has no dropout of its own
    for p, expected in ((0.0, False), (0.1, True)):
        peft_model = get_peft_model(model, LoraConfig(r=4, lora_dropout=p, target_modules="all-linear"))
        assert draws_dropout(peft_model.train()) is expected
        assert not draws_dropout(peft_model.eval())
        model = peft_model.unload()


def test_prompts_per_step_are_per_optimiser_step_on_any_number_of_processes(tmp_path):
    # 8 prompts a step at G=8 on 4 processes: 2 prompts (16 completions) each, 64 in all, as on one
    settings = RLSettings(prompts_per_step=8, num_generations=8)
    for processes in (1, 2, 4, 8):
        args = grpo_config(settings, tmp_path, [RewardSpec("validity")], processes)
        assert args.per_device_train_batch_size * processes == 64
    with pytest.raises(ValueError, match=r"prompts_per_step = 8 cannot be split evenly over 3 training processes"):
        grpo_config(settings, tmp_path, [RewardSpec("validity")], 3)


def test_running_each_prompt_once_in_the_loss_gives_trl_s_log_probs_and_gradients(tiny_model_dir, world):
    # three prompts of different lengths (left-padded), each G=4 times, completions padded at the end
    model, tok = load_policy(str(tiny_model_dir))
    add_fused_lm_head(model, temperature=0.7, outputs=("log_probs", "entropy"))
    model = get_peft_model(model, LoraConfig(r=4, target_modules="all-linear", init_lora_weights=False))
    prompts = eval_lists(world, world.heldout_topics, 1, 3, "t") + eval_lists(world, world.train_topics, 1, 6, "u")
    texts = [tok.apply_chat_template(p["prompt"], add_generation_prompt=True, tokenize=False) for p in prompts[:3]]
    enc = tok(texts, return_tensors="pt", padding=True, padding_side="left")
    assert len(set(enc["attention_mask"].sum(1).tolist())) > 1  # different lengths: padding is exercised
    g, c = 4, 5
    completion = torch.randint(5, len(tok), (3 * g, c), generator=torch.Generator().manual_seed(0))
    completion_mask = torch.ones_like(completion)
    completion_mask[::3, 3:] = 0  # some completions ended early
    input_ids = torch.cat([enc["input_ids"].repeat_interleave(g, 0), completion], 1)
    attention_mask = torch.cat([enc["attention_mask"].repeat_interleave(g, 0), completion_mask], 1)
    weights = torch.randn(3 * g, c, generator=torch.Generator().manual_seed(1)) * completion_mask

    def loss_and_grads(log_probs_and_entropy):
        model.zero_grad()
        logps, entropy = log_probs_and_entropy()
        ((logps + entropy) * weights).sum().backward()
        return logps.detach(), entropy.detach(), [p.grad.clone() for p in model.parameters() if p.requires_grad]

    def trl_forward():  # TRL's _get_per_token_logps_and_entropies, one chunk
        labels = input_ids.masked_fill(attention_mask == 0, -100)
        labels[:, :-c] = -100
        out = model(input_ids=input_ids, attention_mask=attention_mask, labels=labels, fused_lm_head=True)
        return out.log_probs[:, -c:], out.entropy[:, -c:]

    reference = loss_and_grads(trl_forward)
    shared = loss_and_grads(lambda: shared_prefix_log_probs(model, input_ids, attention_mask, c, True))
    for ref, got in zip(reference[:2], shared[:2], strict=True):
        torch.testing.assert_close(got, ref, rtol=1e-4, atol=1e-5)
    assert len(reference[2]) > 10
    for ref, got in zip(reference[2], shared[2], strict=True):
        torch.testing.assert_close(got, ref, rtol=1e-3, atol=1e-6)
    # rows that share no prompt have nothing to share: TRL's own forward pass runs them
    assert shared_prefix_log_probs(model, input_ids[::g], attention_mask[::g], c, True) is None


def test_a_trainer_sharing_prompts_in_the_loss_trains_as_trl_does(tiny_model_dir, world, tmp_path, monkeypatch):
    shared_chunks = []

    def counted(*args, **kwargs):
        out = shared_prefix_log_probs(*args, **kwargs)
        shared_chunks.append(out is not None)
        return out

    monkeypatch.setattr(gapo.trainer, "shared_prefix_log_probs", counted)
    _, grads_trl = _train_two_steps(GAPOTrainer, tiny_model_dir, world, tmp_path / "trl")
    assert not shared_chunks  # off unless asked for
    sharing = functools.partial(GAPOTrainer, share_prompts=True)
    _, grads_shared = _train_two_steps(sharing, tiny_model_dir, world, tmp_path / "shared")
    assert len(shared_chunks) >= 2 and all(shared_chunks)  # every step's loss ran each prompt once
    assert len(grads_shared) == len(grads_trl) == 2
    for step_shared, step_trl in zip(grads_shared, grads_trl, strict=True):
        assert step_shared.keys() == step_trl.keys() and step_trl
        assert any(g.abs().sum() > 0 for g in step_trl.values())
        for k in step_trl:  # the same gradients to float rounding (the matrices have other shapes)
            torch.testing.assert_close(step_shared[k], step_trl[k], rtol=1e-3, atol=1e-6)
