"""Rule train: a LoRA adapter trained by GAPOTrainer with the method's rewards."""

from pathlib import Path

from gapo.io import atomic_dir, atomic_path, read_jsonl, write_json
from gapo.training import RewardSpec, settings_from_config, train_adapter, training_curves
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    settings = settings_from_config(
        p.common, p.method.get("settings", {}), seed=p.seed, dtype=p.dtype, use_cpu=p.device == "cpu"
    )
    rewards = [RewardSpec(r["name"], r.get("weight", 1.0), r.get("options", {})) for r in p.method["rewards"]]
    with atomic_dir(snakemake.output.adapter) as tmp:
        history = train_adapter(
            p.base, read_jsonl(snakemake.input.prompts), rewards, settings, Path(tmp), Path(p.checkpoints)
        )
    write_json(snakemake.output.log_history, {"settings": settings.__dict__, "log_history": history})
    with atomic_path(snakemake.output.curves) as tmp:
        training_curves(history).to_csv(tmp, index=False)
