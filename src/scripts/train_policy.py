"""Rule train: a LoRA adapter trained by GAPOTrainer with the method's rewards."""

import shutil
from pathlib import Path

from gapo.io import atomic_dir, atomic_path, read_jsonl, write_json
from gapo.probe import PROBE_COLUMNS, ProbeSettings
from gapo.training import RewardSpec, settings_from_config, train_adapter, train_distributed, training_curves
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    settings = settings_from_config(
        p.common, p.method.get("settings", {}), seed=p.seed, dtype=p.dtype, use_cpu=p.device == "cpu"
    )
    rewards = [RewardSpec.from_config(r) for r in p.method["rewards"]]
    prompts = read_jsonl(snakemake.input.prompts)
    probe = (read_jsonl(snakemake.input.probe), ProbeSettings(**p.probe))
    with atomic_dir(snakemake.output.adapter) as tmp:
        if p.accelerate_config:  # several processes, each running train_adapter on its slice
            history = train_distributed(
                p.accelerate_config, p.base, prompts, rewards, settings, Path(tmp), Path(p.checkpoints), probe
            )
        else:
            history = train_adapter(p.base, prompts, rewards, settings, Path(tmp), Path(p.checkpoints), probe=probe)
        with atomic_path(snakemake.output.probe) as probe_tmp:
            if (Path(tmp) / "probe.csv").is_file():
                shutil.move(Path(tmp) / "probe.csv", probe_tmp)
            else:  # no probe asked for: the header alone
                Path(probe_tmp).write_text(",".join(PROBE_COLUMNS) + "\n")
    write_json(snakemake.output.log_history, {"settings": settings.__dict__, "log_history": history})
    with atomic_path(snakemake.output.curves) as tmp:
        training_curves(history).to_csv(tmp, index=False)
