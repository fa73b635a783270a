rule corpus:
    output:
        f"{RESULTS}/data/pretrain.jsonl",
    log:
        f"{RESULTS}/logs/corpus.log",
    benchmark:
        f"{RESULTS}/benchmarks/corpus.tsv"
    conda:
        "../../environment.yml"
    params:
        seed=config["seed"],
        world=config["world"],
        corpus_size=config["standin"]["corpus_size"],
    script:
        "../../src/scripts/make_corpus.py"


rule data:
    output:
        rl_prompts=f"{RESULTS}/data/rl_prompts.jsonl",
        rl_open_prompts=f"{RESULTS}/data/rl_open_prompts.jsonl",
        rl_creative_prompts=f"{RESULTS}/data/rl_creative_prompts.jsonl",
        heldout_lists=f"{RESULTS}/data/heldout_lists.jsonl",
        train_lists=f"{RESULTS}/data/train_lists.jsonl",
        open_ended=f"{RESULTS}/data/open_ended.jsonl",
        creative=f"{RESULTS}/data/creative.jsonl",
        bias=f"{RESULTS}/data/bias.json",
        accuracy=[
            f"{RESULTS}/data/accuracy_{name}.jsonl" for name in local_accuracy_data()
        ],
    log:
        f"{RESULTS}/logs/data.log",
    benchmark:
        f"{RESULTS}/benchmarks/data.tsv"
    conda:
        "../../environment.yml"
    params:
        seed=config["seed"],
        world=config["world"],
        rl_prompts=config["rl"]["prompts"],
        evaluation=config["evaluation"],
    script:
        "../../src/scripts/make_data.py"
