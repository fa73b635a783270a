rule train:
    input:
        model=base_model_input,
        prompts=rl_prompts_input,
    output:
        adapter=directory(f"{RESULTS}/models/{{model}}/{{trained}}/adapter"),
        log_history=f"{RESULTS}/models/{{model}}/{{trained}}/train_log.json",
        curves=f"{RESULTS}/models/{{model}}/{{trained}}/curves.csv",
    log:
        f"{RESULTS}/logs/train/{{model}}/{{trained}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/train/{{model}}/{{trained}}.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        gpu=gpus_for_training,
    params:
        base=base_model_param,
        checkpoints=f"{RESULTS}/models/{{model}}/{{trained}}/checkpoints",
        seed=config["seed"],
        common=config["rl"]["common"],
        method=rl_method_param,
    script:
        "../../src/scripts/train_policy.py"
