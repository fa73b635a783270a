# Target lists and input functions shared by the rules.

RESULTS = config.get("results_dir", "results")
STANDIN = "standin"
SAMPLE_TASKS = ["heldout_lists", "train_lists", "open_ended", "creative"]
LIST_TASKS = ["heldout_lists", "train_lists"]


def models():
    return list(config["models"])


def methods():
    return ["base", *config["rl"]["methods"]]


def trained_methods():
    return list(config["rl"]["methods"])


def is_standin(model):
    return config["models"][model]["source"] == STANDIN


def standin_models():
    """Models the DAG pretrains itself: only they can be held against their corpus."""
    return [model for model in models() if is_standin(model)]


def base_model(model):
    """Where a model's base weights live: the DAG's own stand-in, or a hub name or path."""
    if is_standin(model):
        return f"{RESULTS}/models/{model}/base"
    return config["models"][model]["source"]


def base_model_param(wildcards):
    return base_model(wildcards.model)


def base_model_input(wildcards):
    """The base model as a DAG input (only the stand-in is built by the DAG)."""
    return [base_model(wildcards.model)] if is_standin(wildcards.model) else []


def adapter_input(wildcards):
    if wildcards.method == "base":
        return []
    return [f"{RESULTS}/models/{wildcards.model}/{wildcards.method}/adapter"]


def local_accuracy_data():
    return sorted(
        {t["data"] for t in config["evaluation"]["accuracy"]["tasks"] if t.get("data")}
    )


def accuracy_data_input(wildcards):
    return [f"{RESULTS}/data/accuracy_{name}.jsonl" for name in local_accuracy_data()]


def training_runs():
    return [(model, method) for model in models() for method in trained_methods()]


def all_targets():
    targets = [
        f"{RESULTS}/figures/fig2_bias.png",
        f"{RESULTS}/figures/fig4_list_sampling.png",
        f"{RESULTS}/figures/fig5_open_set.png",
        f"{RESULTS}/figures/training_curves.png",
        f"{RESULTS}/tables/summary.csv",
        f"{RESULTS}/tables/summary.md",
    ]
    if standin_models():
        targets.append(f"{RESULTS}/tables/base_vs_data.csv")
    return targets


def metrics_keys():
    """What each summary input holds, in input order: (model, method, task) and (model, method)."""
    pairs = [(model, method) for model in models() for method in methods()]
    return {
        "metrics": [(m, method, task) for m, method in pairs for task in SAMPLE_TASKS],
        "accuracy": pairs,
    }


def metrics_inputs(wildcards=None):
    keys = metrics_keys()
    return {
        "metrics": [
            f"{RESULTS}/metrics/{m}/{meth}/{t}.json" for m, meth, t in keys["metrics"]
        ],
        "accuracy": [
            f"{RESULTS}/accuracy/{m}/{meth}.json" for m, meth in keys["accuracy"]
        ],
    }


wildcard_constraints:
    model="|".join(models()),
    method="|".join(methods()),
    trained="|".join(trained_methods()),
    task="|".join(SAMPLE_TASKS),


def rl_method_param(wildcards):
    return config["rl"]["methods"][wildcards.trained]


def gpus_for_training(wildcards):
    return 0 if config["rl"]["common"].get("use_cpu", True) else 1


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
        "batch_size": evaluation["batch_size"],
    }
