rule sample:
    input:
        model=base_model_input,
        adapter=adapter_input,
        prompts=f"{RESULTS}/data/{{task}}.jsonl",
    output:
        f"{RESULTS}/samples/{{model}}/{{method}}/{{task}}.jsonl",
    params:
        base=base_model_param,
        seed=config["seed"],
        sampling=sampling_param,
    threads: 1
    log:
        f"{RESULTS}/logs/sample/{{model}}/{{method}}/{{task}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/sample/{{model}}/{{method}}/{{task}}.tsv"
    conda:
        "../../environment.yml"
    script:
        "../../src/scripts/sample_completions.py"
