"""Run by test_trainer_distributed.py under `torch.distributed.run` with 2 CPU processes (gloo).

Trains GAPOTrainer for 2 steps with a per-device batch that splits groups across the processes and
records, per process, the local prompts, completions and valid lists TRL gave it and the group
rewards it got back. Usage: distributed_rewards.py MODEL_DIR OUT_DIR
"""

import dataclasses
import json
import sys
from pathlib import Path

from datasets import Dataset
from peft import LoraConfig

from gapo.data import World, rl_prompts
from gapo.model import load_policy
from gapo.rewards import FrequencyAwareReward
from gapo.trainer import GAPOTrainer
from gapo.training import RewardSpec, RLSettings, grpo_config


class RecordingTrainer(GAPOTrainer):
    def group_rewards(self, reward, prompts, completions, kwargs):
        scores = super().group_rewards(reward, prompts, completions, kwargs)
        self.records.append(
            {"prompts": prompts, "completions": completions, "valid": kwargs["valid"], "rewards": scores}
        )
        return scores


def main() -> None:
    model_dir, out = sys.argv[1], Path(sys.argv[2])
    model, tok = load_policy(model_dir)
    model.train()
    world = World(seed=0, heldout_topics=("planet", "instrument"))
    prompts = rl_prompts(world, 32, 4, 6)
    dataset = Dataset.from_list([{k: p[k] for k in ("prompt", "valid", "topic")} for p in prompts])
    # G = 4 and 6 completions per process: the middle group of each step straddles the two processes.
    settings = RLSettings(steps=2, prompts_per_step=1, num_generations=4, max_completion_length=3, save_steps=10)
    args = grpo_config(settings, out / "run", [RewardSpec("frequency_aware")])
    args = dataclasses.replace(
        args, per_device_train_batch_size=6, generation_batch_size=None, steps_per_generation=None
    )
    trainer = RecordingTrainer(
        model=model,
        reward_funcs=[FrequencyAwareReward()],
        args=args,
        train_dataset=dataset,
        processing_class=tok,
        peft_config=LoraConfig(r=2, lora_alpha=4, target_modules="all-linear", task_type="CAUSAL_LM"),
    )
    trainer.records = []
    trainer.train()
    rank = trainer.accelerator.process_index
    world_size = trainer.accelerator.num_processes
    (out / f"rank{rank}.json").write_text(json.dumps({"world_size": world_size, "records": trainer.records}))


if __name__ == "__main__":
    main()
