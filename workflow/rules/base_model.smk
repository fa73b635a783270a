rule base_model:
    input:
        corpus=f"{RESULTS}/data/pretrain.jsonl",
    output:
        model=directory(f"{RESULTS}/models/{{model}}/base/seed{{seed}}"),
        metrics=f"{RESULTS}/models/{{model}}/base_pretrain/seed{{seed}}.json",
    log:
        f"{RESULTS}/logs/base_model/{{model}}/seed{{seed}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/base_model/{{model}}/seed{{seed}}.tsv"
    wildcard_constraints:
        model=one_of(standin_models()),
    conda:
        "../../environment.yml"
    threads: pretrain_threads()
    priority: 10
    resources:
        gpu=gpus,
    params:
        seed=seed_param,  # initialisation and batch order: each replicate pretrains its own base
        world_seed=config["seed"],
        standin=config["standin"],
        world=config["world"],
        device=config["compute"]["device"],
    script:
        "../../src/scripts/pretrain_standin.py"


rule packaged_model:
    output:
        model=directory(f"{RESULTS}/models/{{model}}/base"),
    log:
        f"{RESULTS}/logs/packaged_model/{{model}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/packaged_model/{{model}}.tsv"
    wildcard_constraints:
        model=one_of(packaged_models()),
    conda:
        "../../environment.yml"
    threads: 1
    params:
        source=lambda wildcards: config["models"][wildcards.model]["source"],
    script:
        "../../src/scripts/convert_packaged_model.py"
