# Ablation studies (`snakemake ablations`): extra RL methods of the config's `ablations` section,
# trained, sampled and scored by the same rules as the main methods.


rule ablations:
    input:
        ablation_targets,


rule ablation_table:
    input:
        unpack(ablation_inputs),
    output:
        csv=report(
            f"{RESULTS}/tables/ablations.csv",
            caption="../report/ablations.rst",
            category="Ablations",
        ),
        md=f"{RESULTS}/tables/ablations.md",
        per_seed=f"{RESULTS}/tables/ablations_per_seed.csv",
    log:
        f"{RESULTS}/logs/render/ablation_table.log",
    benchmark:
        f"{RESULTS}/benchmarks/ablation_table.tsv"
    conda:
        "../../environment.yml"
    params:
        method_configs={
            m: method_config(m) for m in trained_methods() + ablation_methods()
        },
        temperatures=config["evaluation"]["temperatures"],
        inputs_hold=metrics_keys(methods() + ablation_methods()),
    script:
        "../../src/scripts/render_ablation_table.py"


rule ablation_figure:
    input:
        table=f"{RESULTS}/tables/ablations_per_seed.csv",
    output:
        report(
            f"{RESULTS}/figures/ablation_{{study}}.png",
            caption="../report/ablations.rst",
            category="Ablations",
        ),
        f"{RESULTS}/figures/ablation_{{study}}.pdf",
    log:
        f"{RESULTS}/logs/render/ablation_{{study}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/ablation_figure/{{study}}.tsv"
    conda:
        "../../environment.yml"
    params:
        methods=lambda wildcards: ablation_studies()[wildcards.study],
        title=lambda wildcards: f"Ablation: {wildcards.study.replace('_', ' ')}",
        temperature=config["evaluation"]["temperatures"][0],
    script:
        "../../src/scripts/render_ablation_figure.py"
