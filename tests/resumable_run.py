"""Run by test_resume.py: a real RL run that test_resume.py kills and starts again.

Usage: resumable_run.py MODEL_DIR OUT_DIR [--hang-after-save N]
With --hang-after-save N the run stops moving once checkpoint N is written (the test then kills
it); otherwise it trains to the end and records the step it started from.
"""

import json
import logging
import sys
import time
from pathlib import Path

from transformers import TrainerCallback

from gapo.data import World, rl_prompts
from gapo.training import RewardSpec, RLSettings, train_adapter


class Probe(TrainerCallback):
    def __init__(self, out: Path, hang_after: int | None) -> None:
        self.out, self.hang_after, self.first_step = out, hang_after, None

    def on_step_begin(self, args, state, control, **kwargs):
        if self.first_step is None:
            self.first_step = state.global_step

    def on_save(self, args, state, control, **kwargs):
        (self.out / f"saved-{state.global_step}").touch()
        if state.global_step == self.hang_after:
            time.sleep(600)  # killed here, mid-run


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    model_dir, out = sys.argv[1], Path(sys.argv[2])
    hang_after = int(sys.argv[4]) if len(sys.argv) > 3 and sys.argv[3] == "--hang-after-save" else None
    world = World(seed=0, heldout_topics=("planet", "instrument"))
    settings = RLSettings(steps=8, prompts_per_step=2, num_generations=4, max_completion_length=3, save_steps=2)
    probe = Probe(out, hang_after)
    history = train_adapter(
        model_dir,
        rl_prompts(world, 64, 4, 6),
        [RewardSpec("frequency_aware")],
        settings,
        out / "adapter",
        out / "checkpoints",
        callbacks=[probe],
    )
    steps = [h["step"] for h in history if "loss" in h]
    (out / "done.json").write_text(json.dumps({"first_step": probe.first_step, "logged_steps": steps}))


if __name__ == "__main__":
    main()
