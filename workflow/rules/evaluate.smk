rule diversity:
    input:
        samples=f"{RESULTS}/samples/{{model}}/{{method}}/{{task}}.jsonl",
        prompts=f"{RESULTS}/data/{{task}}.jsonl",
    output:
        f"{RESULTS}/metrics/{{model}}/{{method}}/{{task}}.json",
    log:
        f"{RESULTS}/logs/diversity/{{model}}/{{method}}/{{task}}.log",
    conda:
        "../../environment.yml"
    script:
        "../../src/scripts/score_diversity.py"


rule coherence:
    input:
        model=base_model_input,
        samples=f"{RESULTS}/samples/{{model}}/{{method}}/creative.jsonl",
        prompts=f"{RESULTS}/data/creative.jsonl",
    output:
        f"{RESULTS}/metrics/{{model}}/{{method}}/coherence.json",
    log:
        f"{RESULTS}/logs/coherence/{{model}}/{{method}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/coherence/{{model}}/{{method}}.tsv"
    conda:
        "../../environment.yml"
    params:
        base=base_model_param,
    script:
        "../../src/scripts/score_coherence.py"


rule accuracy:
    input:
        model=base_model_input,
        adapter=adapter_input,
        data=accuracy_data_input,
    output:
        f"{RESULTS}/accuracy/{{model}}/{{method}}.json",
    log:
        f"{RESULTS}/logs/accuracy/{{model}}/{{method}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/accuracy/{{model}}/{{method}}.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    params:
        base=base_model_param,
        accuracy=config["evaluation"]["accuracy"],
        work_dir=f"{RESULTS}/accuracy/{{model}}/.{{method}}_lm_eval",
    script:
        "../../src/scripts/score_accuracy.py"
