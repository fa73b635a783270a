"""The held-out probe during RL, and the wall-clock limit on training."""

import torch

from gapo.data import eval_lists, rl_prompts
from gapo.diversity import list_metrics
from gapo.probe import ProbeSettings, read_probe
from gapo.sampling import load_sampler, sample_records
from gapo.training import RewardSpec, RLSettings, train_adapter


def test_probe_scores_the_policy_at_step_0_and_every_checkpoint_as_the_evaluation_does(tiny_model_dir, world, tmp_path):
    heldout = eval_lists(world, world.heldout_topics, 1, 4, "probe")
    probe = ProbeSettings(samples=16, temperature=0.7, max_new_tokens=3)
    settings = RLSettings(steps=4, prompts_per_step=2, num_generations=4, max_completion_length=3, save_steps=2)
    train_adapter(
        str(tiny_model_dir), rl_prompts(world, 32, 4, 6), [RewardSpec("frequency_aware")], settings,
        tmp_path / "adapter", tmp_path / "checkpoints", probe=(heldout, probe),
    )  # fmt: skip
    rows = read_probe(tmp_path / "adapter" / "probe.csv")
    assert [r["step"] for r in rows] == [0, 2, 4]
    assert all(r["samples"] == 16 * len(heldout) and 0 <= r["nv"] <= 1 for r in rows)

    # step 0 is the base model, and the final row is the saved adapter, scored as `diversity` scores
    for row, adapter in ((rows[0], None), (rows[-1], str(tmp_path / "adapter"))):
        sampler = load_sampler("transformers", str(tiny_model_dir), adapter)
        records = sample_records(sampler, heldout, 16, [0.7], 3, seed=settings.seed)
        expected = list_metrics(records, heldout)["0.7"]
        assert row["nv"] == expected["nv"] and row["valid_answers"] == expected["valid_answers"]
        assert row["jsd"] is None if expected["jsd"] is None else abs(row["jsd"] - expected["jsd"]) < 1e-9


def test_probing_does_not_change_what_rl_learns(tiny_model_dir, world, tmp_path):
    """The probe samples with its own seed; training's rollouts must draw as if it had not run."""
    from safetensors.torch import load_file

    heldout = eval_lists(world, world.heldout_topics, 1, 4, "probe")
    settings = RLSettings(steps=4, prompts_per_step=2, num_generations=4, max_completion_length=3, save_steps=2)
    prompts = rl_prompts(world, 32, 4, 6)
    runs = {}
    for name, probe in (("plain", None), ("probed", (heldout, ProbeSettings(samples=16, max_new_tokens=3)))):
        history = train_adapter(
            str(tiny_model_dir), prompts, [RewardSpec("frequency_aware")], settings,
            tmp_path / name / "adapter", tmp_path / name / "checkpoints", probe=probe,
        )  # fmt: skip
        runs[name] = [h["reward"] for h in history if "reward" in h]
    assert len(read_probe(tmp_path / "probed" / "adapter" / "probe.csv")) == 3  # it did probe
    assert runs["probed"] == runs["plain"] and len(runs["plain"]) >= 2
    plain, probed = (load_file(tmp_path / n / "adapter" / "adapter_model.safetensors") for n in ("plain", "probed"))
    assert all(torch.equal(plain[k], probed[k]) for k in plain)


def test_a_time_limit_stops_training_after_a_step_and_saves_the_adapter(tiny_model_dir, world, tmp_path):
    settings = RLSettings(
        steps=50, prompts_per_step=2, num_generations=4, max_completion_length=3, save_steps=25,
        time_limit_minutes=1e-6,
    )  # fmt: skip
    history = train_adapter(
        str(tiny_model_dir), rl_prompts(world, 32, 4, 6), [RewardSpec("validity")], settings,
        tmp_path / "adapter", tmp_path / "checkpoints",
    )  # fmt: skip
    assert max(h["step"] for h in history) == 1
    assert (tmp_path / "adapter" / "adapter_config.json").is_file()
    assert not (tmp_path / "checkpoints").exists()


def test_a_resumed_run_keeps_the_probe_rows_up_to_its_checkpoint_and_drops_later_ones(tmp_path):
    from types import SimpleNamespace

    from gapo.probe import PROBE_COLUMNS, HeldOutProbe

    path = tmp_path / "probe.csv"
    rows = [f"{step},0.5,0.1,90,0,100" for step in (0, 2, 4)]  # step 4 was probed, its checkpoint lost
    path.write_text(",".join(PROBE_COLUMNS) + "\n" + "\n".join(rows) + "\n")
    probe = HeldOutProbe([], ProbeSettings(samples=4), path, seed=0)
    probe.on_train_begin(None, SimpleNamespace(global_step=2, is_world_process_zero=True), None)
    assert [r["step"] for r in read_probe(path)] == [0, 2]
    assert read_probe(path)[0] == {
        "step": 0, "jsd": 0.5, "nv": 0.1, "valid_answers": 90, "no_valid_prompts": 0, "samples": 100,
    }  # fmt: skip
