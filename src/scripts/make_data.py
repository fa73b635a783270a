"""Rule data: every synthetic data set of the study."""

from gapo.data import study_sets
from gapo.io import write_json, write_jsonl
from gapo.workflow import rule_context

with rule_context(snakemake):
    p = snakemake.params
    sets = study_sets(p.seed, p.world, p.rl_prompts, p.evaluation, p.style)
    for name, path in snakemake.output.items():
        if name == "accuracy":
            continue
        if name == "bias":
            write_json(path, sets[name])
        else:
            print(name, write_jsonl(path, sets[name]), "records")
    for path in snakemake.output.accuracy:
        name = path.rsplit("/", 1)[-1].removesuffix(".jsonl")
        print(name, write_jsonl(path, sets[name]), "records")
