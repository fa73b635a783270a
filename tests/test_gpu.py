"""The GPU path (`compute.device: cuda`): train, sample, score coherence and accuracy on CUDA.

Skipped without a CUDA GPU; CPU runs of the same functions are covered by the other tests.
"""

import pytest
import torch

from gapo.accuracy import AccuracyTask, evaluate_accuracy, lm_eval_docs
from gapo.coherence import coherence_metrics
from gapo.data import arithmetic_eval, creative_eval, eval_lists, rl_prompts
from gapo.io import write_jsonl
from gapo.sampling import load_sampler, sample_records
from gapo.training import RewardSpec, RLSettings, train_adapter

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_train_sample_and_score_on_cuda(tiny_model_dir, tmp_path, world, dtype):
    settings = RLSettings(
        steps=4, prompts_per_step=2, num_generations=4, max_completion_length=3, learning_rate=1e-2,
        save_steps=2, dtype=dtype, use_cpu=False,
    )  # fmt: skip
    history = train_adapter(
        str(tiny_model_dir), rl_prompts(world, 32, 4, 6), [RewardSpec("frequency_aware")], settings,
        tmp_path / "adapter", tmp_path / "checkpoints",
    )  # fmt: skip
    assert history[-1]["step"] == 4 and (tmp_path / "adapter/adapter_config.json").is_file()

    sampler = load_sampler("transformers", str(tiny_model_dir), str(tmp_path / "adapter"), dtype, "cuda")
    assert sampler.model.device.type == "cuda"
    prompts = eval_lists(world, world.heldout_topics, 1, 4, "gpu")
    records = sample_records(sampler, prompts, 8, [0.7], 3, seed=0)
    assert len(records) == 8 * len(prompts)
    assert records == sample_records(sampler, prompts, 8, [0.7], 3, seed=0)

    stories = creative_eval(0, 3.0)
    samples = sample_records(sampler, stories, 4, [1.0], 6, seed=0)
    coherence = coherence_metrics(sampler.model, sampler.tokenizer, samples, stories)
    assert all(0 <= v["coherence"] <= 1 for v in coherence.values())

    docs = tmp_path / "arithmetic.jsonl"
    write_jsonl(docs, lm_eval_docs(arithmetic_eval(0, 8, 9)))
    task = AccuracyTask("gapo_arithmetic", "exact_match,strict", data=str(docs), kind="generate")
    scores = evaluate_accuracy(
        str(tiny_model_dir), str(tmp_path / "adapter"), [task], tmp_path / "lm_eval", batch_size=8,
        device="cuda", dtype=dtype,
    )  # fmt: skip
    assert scores["gapo_arithmetic"]["n"] == 8
