rule train:
    input:
        model=base_model_input,
        prompts=rl_prompts_input,
        probe=model_data("heldout_lists.jsonl"),
    output:
        adapter=directory(
            f"{RESULTS}/models/{{model}}/{{trained}}/seed{{seed}}/adapter"
        ),
        log_history=f"{RESULTS}/models/{{model}}/{{trained}}/seed{{seed}}/train_log.json",
        curves=f"{RESULTS}/models/{{model}}/{{trained}}/seed{{seed}}/curves.csv",
        probe=f"{RESULTS}/models/{{model}}/{{trained}}/seed{{seed}}/probe.csv",
    log:
        f"{RESULTS}/logs/train/{{model}}/{{trained}}/seed{{seed}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/train/{{model}}/{{trained}}/seed{{seed}}.tsv"
    # Training heads the longest chains (train, sample, score, tables): start it before any scoring
    priority: 10
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        gpu=training_gpus,
    params:
        base=base_model_param,
        dtype=model_dtype,
        device=config["compute"]["device"],
        accelerate_config=config["compute"]["accelerate_config"],
        checkpoints=f"{RESULTS}/models/{{model}}/{{trained}}/seed{{seed}}/checkpoints",
        seed=seed_param,
        common=config["rl"]["common"],
        method=rl_method_param,
        probe={**config["rl"]["probe"], "batch_size": config["evaluation"]["batch_size"]},
    script:
        "../../src/scripts/train_policy.py"
