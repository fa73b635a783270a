rule fig2_bias:
    input:
        expand(f"{RESULTS}/bias/{{model}}.json", model=models()),
    output:
        report(
            f"{RESULTS}/figures/fig2_bias.png",
            caption="../report/fig2_bias.rst",
            category="Figures",
        ),
        f"{RESULTS}/figures/fig2_bias.pdf",
    log:
        f"{RESULTS}/logs/render/fig2_bias.log",
    benchmark:
        f"{RESULTS}/benchmarks/fig2_bias.tsv"
    conda:
        "../../environment.yml"
    script:
        "../../src/scripts/render_fig2_bias.py"


rule fig4_list_sampling:
    input:
        metrics=run_paths(
            f"{RESULTS}/metrics/{{model}}/{{method}}/seed{{seed}}/heldout_lists.json"
        ),
    output:
        report(
            f"{RESULTS}/figures/fig4_list_sampling.png",
            caption="../report/fig4_list_sampling.rst",
            category="Figures",
        ),
        f"{RESULTS}/figures/fig4_list_sampling.pdf",
    log:
        f"{RESULTS}/logs/render/fig4_list_sampling.log",
    benchmark:
        f"{RESULTS}/benchmarks/fig4_list_sampling.tsv"
    conda:
        "../../environment.yml"
    params:
        runs=runs(),
        methods=methods(),
        topics=config["evaluation"]["figure_topics"],
        temperature=config["evaluation"]["temperatures"][0],
    script:
        "../../src/scripts/render_fig4_list_sampling.py"


rule fig5_open_set:
    input:
        metrics=run_paths(
            f"{RESULTS}/metrics/{{model}}/{{method}}/seed{{seed}}/open_ended.json"
        ),
    output:
        report(
            f"{RESULTS}/figures/fig5_open_set.png",
            caption="../report/fig5_open_set.rst",
            category="Figures",
        ),
        f"{RESULTS}/figures/fig5_open_set.pdf",
    log:
        f"{RESULTS}/logs/render/fig5_open_set.log",
    benchmark:
        f"{RESULTS}/benchmarks/fig5_open_set.tsv"
    conda:
        "../../environment.yml"
    params:
        runs=runs(),
        methods=methods(),
        topics=config["evaluation"]["figure_topics"],
        temperature=config["evaluation"]["temperatures"][0],
    script:
        "../../src/scripts/render_fig5_open_set.py"


rule fig_creative:
    input:
        creative=run_paths(
            f"{RESULTS}/metrics/{{model}}/{{method}}/seed{{seed}}/creative.json"
        ),
        coherence=run_paths(
            f"{RESULTS}/metrics/{{model}}/{{method}}/seed{{seed}}/coherence.json"
        ),
    output:
        report(
            f"{RESULTS}/figures/fig_creative.png",
            caption="../report/fig_creative.rst",
            category="Figures",
        ),
        f"{RESULTS}/figures/fig_creative.pdf",
    log:
        f"{RESULTS}/logs/render/fig_creative.log",
    benchmark:
        f"{RESULTS}/benchmarks/fig_creative.tsv"
    conda:
        "../../environment.yml"
    params:
        runs=runs(),
        methods=methods(),
    script:
        "../../src/scripts/render_fig_creative.py"


rule training_curves:
    input:
        curves=[
            f"{RESULTS}/models/{model}/{method}/seed{seed}/curves.csv"
            for model, method, seed in training_runs()
        ],
    output:
        report(
            f"{RESULTS}/figures/training_curves.png",
            caption="../report/training_curves.rst",
            category="Figures",
        ),
        f"{RESULTS}/figures/training_curves.pdf",
    log:
        f"{RESULTS}/logs/render/training_curves.log",
    benchmark:
        f"{RESULTS}/benchmarks/training_curves.tsv"
    conda:
        "../../environment.yml"
    params:
        runs=training_runs(),
    script:
        "../../src/scripts/render_training_curves.py"


rule fig_rl_steps:
    input:
        probes=[
            f"{RESULTS}/models/{model}/{method}/seed{seed}/probe.csv"
            for model, method, seed in training_runs()
        ],
    output:
        report(
            f"{RESULTS}/figures/fig_rl_steps.png",
            caption="../report/fig_rl_steps.rst",
            category="Figures",
        ),
        f"{RESULTS}/figures/fig_rl_steps.pdf",
    log:
        f"{RESULTS}/logs/render/fig_rl_steps.log",
    benchmark:
        f"{RESULTS}/benchmarks/fig_rl_steps.tsv"
    conda:
        "../../environment.yml"
    params:
        runs=training_runs(),
        temperature=config["rl"]["probe"]["temperature"],
    script:
        "../../src/scripts/render_fig_rl_steps.py"


rule summary_table:
    input:
        unpack(metrics_inputs),
    output:
        csv=report(
            f"{RESULTS}/tables/summary.csv",
            caption="../report/summary.rst",
            category="Tables",
        ),
        md=f"{RESULTS}/tables/summary.md",
        per_seed=f"{RESULTS}/tables/summary_per_seed.csv",
    log:
        f"{RESULTS}/logs/render/summary_table.log",
    benchmark:
        f"{RESULTS}/benchmarks/summary_table.tsv"
    conda:
        "../../environment.yml"
    params:
        temperatures=config["evaluation"]["temperatures"],
        inputs_hold=metrics_keys(),
        target_models=standin_models(),  # the stand-in's targets
        real_models=[m for m in models() if m not in standin_models()],  # a real LLM's
    script:
        "../../src/scripts/render_summary_table.py"


rule fig_temperature:
    input:
        run_paths(
            f"{RESULTS}/sweep/{{model}}/{{method}}/seed{{seed}}.json", sweep_methods()
        ),
    output:
        png=report(
            f"{RESULTS}/figures/fig_temperature.png",
            caption="../report/fig_temperature.rst",
            category="Figures",
        ),
        pdf=f"{RESULTS}/figures/fig_temperature.pdf",
        csv=report(
            f"{RESULTS}/tables/temperature.csv",
            caption="../report/fig_temperature.rst",
            category="Tables",
        ),
        md=f"{RESULTS}/tables/temperature.md",
    log:
        f"{RESULTS}/logs/render/fig_temperature.log",
    benchmark:
        f"{RESULTS}/benchmarks/fig_temperature.tsv"
    conda:
        "../../environment.yml"
    params:
        runs=runs(sweep_methods()),
        headline=config["evaluation"]["temperatures"][0],
    script:
        "../../src/scripts/render_fig_temperature.py"


rule table_accuracy:
    input:
        f"{RESULTS}/tables/summary.csv",
    output:
        csv=report(
            f"{RESULTS}/tables/accuracy.csv",
            caption="../report/table_accuracy.rst",
            category="Tables",
        ),
        md=f"{RESULTS}/tables/accuracy.md",
    log:
        f"{RESULTS}/logs/render/table_accuracy.log",
    benchmark:
        f"{RESULTS}/benchmarks/table_accuracy.tsv"
    conda:
        "../../environment.yml"
    script:
        "../../src/scripts/render_table_accuracy.py"


rule table_diversity:
    input:
        f"{RESULTS}/tables/summary.csv",
    output:
        csv=report(
            f"{RESULTS}/tables/diversity.csv",
            caption="../report/table_diversity.rst",
            category="Tables",
        ),
        md=f"{RESULTS}/tables/diversity.md",
    log:
        f"{RESULTS}/logs/render/table_diversity.log",
    benchmark:
        f"{RESULTS}/benchmarks/table_diversity.tsv"
    conda:
        "../../environment.yml"
    params:
        temperatures=config["evaluation"]["temperatures"],
    script:
        "../../src/scripts/render_table_diversity.py"


rule base_vs_data:
    input:
        prompts=expand(f"{RESULTS}/data/standin/{{task}}.jsonl", task=LIST_TASKS),
        metrics=expand(
            f"{RESULTS}/metrics/{{model}}/base/seed{seeds()[0]}/{{task}}.json",
            model=standin_models(),
            task=LIST_TASKS,
        ),
    output:
        csv=report(
            f"{RESULTS}/tables/base_vs_data.csv",
            caption="../report/base_vs_data.rst",
            category="Tables",
        ),
        md=f"{RESULTS}/tables/base_vs_data.md",
    log:
        f"{RESULTS}/logs/render/base_vs_data.log",
    benchmark:
        f"{RESULTS}/benchmarks/base_vs_data.tsv"
    conda:
        "../../environment.yml"
    params:
        inputs_hold=[(model, task) for model in standin_models() for task in LIST_TASKS],
        tasks=LIST_TASKS,
    script:
        "../../src/scripts/render_base_vs_data.py"
