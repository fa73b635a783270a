# One job scores every task of one run: most of a small task's cost is starting the job.
rule diversity:
    input:
        samples=expand(
            f"{RESULTS}/samples/{{{{model}}}}/{{{{method}}}}/seed{{{{seed}}}}/{{task}}.jsonl",
            task=SAMPLE_TASKS,
        ),
        prompts=model_data_sets([f"{task}.jsonl" for task in SAMPLE_TASKS]),
    output:
        expand(
            f"{RESULTS}/metrics/{{{{model}}}}/{{{{method}}}}/seed{{{{seed}}}}/{{task}}.json",
            task=SAMPLE_TASKS,
        ),
    log:
        f"{RESULTS}/logs/diversity/{{model}}/{{method}}/seed{{seed}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/diversity/{{model}}/{{method}}/seed{{seed}}.tsv"
    conda:
        "../../environment.yml"
    params:
        tasks=SAMPLE_TASKS,
    script:
        "../../src/scripts/score_diversity.py"


rule coherence:
    input:
        model=base_model_input,
        samples=f"{RESULTS}/samples/{{model}}/{{method}}/seed{{seed}}/creative.jsonl",
        prompts=model_data("creative.jsonl"),
    output:
        f"{RESULTS}/metrics/{{model}}/{{method}}/seed{{seed}}/coherence.json",
    log:
        f"{RESULTS}/logs/coherence/{{model}}/{{method}}/seed{{seed}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/coherence/{{model}}/{{method}}/seed{{seed}}.tsv"
    conda:
        "../../environment.yml"
    resources:
        gpu=gpus,
    params:
        base=base_model_param,
        dtype=model_dtype,
        device=config["compute"]["device"],
    script:
        "../../src/scripts/score_coherence.py"


rule accuracy:
    input:
        model=base_model_input,
        adapter=adapter_input,
        data=accuracy_data_input,
    output:
        f"{RESULTS}/accuracy/{{model}}/{{method}}/seed{{seed}}.json",
    log:
        f"{RESULTS}/logs/accuracy/{{model}}/{{method}}/seed{{seed}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/accuracy/{{model}}/{{method}}/seed{{seed}}.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        gpu=gpus,
    params:
        base=base_model_param,
        dtype=model_dtype,
        device=config["compute"]["device"],
        accuracy=config["evaluation"]["accuracy"],
        work_dir=f"{RESULTS}/accuracy/{{model}}/{{method}}/.seed{{seed}}_lm_eval",
    script:
        "../../src/scripts/score_accuracy.py"


rule temperature_sweep:
    input:
        model=base_model_input,
        adapter=adapter_input,
        prompts=model_data("heldout_lists.jsonl"),
        data=accuracy_data_input,
    output:
        f"{RESULTS}/sweep/{{model}}/{{method}}/seed{{seed}}.json",
    log:
        f"{RESULTS}/logs/temperature_sweep/{{model}}/{{method}}/seed{{seed}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/temperature_sweep/{{model}}/{{method}}/seed{{seed}}.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        gpu=gpus,
    params:
        base=base_model_param,
        dtype=model_dtype,
        seed=seed_param,
        compute=config["compute"],
        batch_size=config["evaluation"]["batch_size"],
        temperatures=sweep_temperatures,
        samples=config["evaluation"]["samples"]["list"],
        max_new_tokens=config["evaluation"]["max_new_tokens"]["list"],
        accuracy=config["evaluation"]["accuracy"],
        tasks=config["evaluation"]["temperature_sweep"]["tasks"],
        work_dir=f"{RESULTS}/sweep/{{model}}/{{method}}/.seed{{seed}}_lm_eval",
    script:
        "../../src/scripts/temperature_sweep.py"
