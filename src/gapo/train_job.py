"""One training run from a JSON spec, on every process that `accelerate launch` starts.

    accelerate launch --config_file config/accelerate/multi_gpu.yaml -m gapo.train_job SPEC

`gapo.training.train_distributed` writes the spec and launches this; the main process writes the
log history, with the number of processes, where the spec says.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from accelerate import PartialState

from gapo.probe import ProbeSettings
from gapo.training import RewardSpec, RLSettings, train_adapter


def main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    history = train_adapter(
        spec["base"],
        spec["prompts"],
        [RewardSpec(**r) for r in spec["rewards"]],
        RLSettings(**spec["settings"]),
        Path(spec["adapter_dir"]),
        Path(spec["checkpoint_dir"]),
        probe=None if spec.get("probe") is None else (spec["probe"][0], ProbeSettings(**spec["probe"][1])),
    )
    state = PartialState()
    if state.is_main_process:
        Path(spec["history"]).write_text(json.dumps([{**row, "num_processes": state.num_processes} for row in history]))


if __name__ == "__main__":
    main(sys.argv[1])
