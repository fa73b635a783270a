rule bias:
    input:
        model=base_model_input,
        prompts=model_data("bias.json"),
    output:
        f"{RESULTS}/bias/{{model}}.json",
    log:
        f"{RESULTS}/logs/bias/{{model}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/bias/{{model}}.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        gpu=gpus,
    params:
        base=base_model_param,
        dtype=model_dtype,
        device=config["compute"]["device"],
        seed=config["seed"],
        bias=config["evaluation"]["bias"],
        max_new_tokens=config["evaluation"]["max_new_tokens"]["list"],
    script:
        "../../src/scripts/analyse_bias.py"
