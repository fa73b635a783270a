# One job samples every task of one model and method: loading the model is most of a task's cost.
rule sample:
    input:
        model=base_model_input,
        adapter=adapter_input,
        prompts=model_data_sets([f"{task}.jsonl" for task in SAMPLE_TASKS]),
    output:
        expand(
            f"{RESULTS}/samples/{{{{model}}}}/{{{{method}}}}/seed{{{{seed}}}}/{{task}}.jsonl",
            task=SAMPLE_TASKS,
        ),
    log:
        f"{RESULTS}/logs/sample/{{model}}/{{method}}/seed{{seed}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/sample/{{model}}/{{method}}/seed{{seed}}.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        gpu=gpus,
    params:
        base=base_model_param,
        dtype=model_dtype,
        compute=config["compute"],
        batch_size=config["evaluation"]["batch_size"],
        seed=seed_param,
        sampling=[sampling_settings(task) for task in SAMPLE_TASKS],
    script:
        "../../src/scripts/sample_completions.py"
