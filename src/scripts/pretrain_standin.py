"""Rule base_model: build and pretrain the stand-in model on the skewed corpus."""

from pathlib import Path

from gapo.data import eval_lists, world_from_config
from gapo.io import atomic_dir, read_jsonl, write_json
from gapo.standin import PretrainSettings, StandinArchitecture, pretrain
from gapo.workflow import rule_context

with rule_context(snakemake):
    cfg, seed = snakemake.params.standin, snakemake.params.seed
    records = read_jsonl(snakemake.input.corpus)
    world = world_from_config(snakemake.params.world_seed, snakemake.params.world)
    # Lists of their own (another salt than the evaluation's): the probe must not pick the base by its test
    probe_lists = eval_lists(world, world.heldout_topics, 4, 8, "membership-probe")
    with atomic_dir(snakemake.output.model) as tmp:
        metrics = pretrain(
            records,
            StandinArchitecture(**cfg["architecture"]),
            PretrainSettings(**cfg["pretrain"], seed=seed),
            Path(tmp),
            device=snakemake.params.device,
            probe_lists=probe_lists,
        )
    write_json(snakemake.output.metrics, metrics)
