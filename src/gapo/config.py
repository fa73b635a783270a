"""Checking a study's config when the DAG starts: every problem is one line naming the key and the fix.

`check_schema` validates against the JSON schema (workflow/schemas/config.schema.yaml), turning each
schema error into one line; `check_semantics` checks what a schema cannot say: topics that exist, a
training split that is not empty, model paths that exist, rewards that build, studies that name methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

# The model dtypes vLLM's LoRA kernels take (vllm/lora/ops/triton_ops: float32 fails an assertion).
VLLM_LORA_DTYPES = ("bfloat16", "float16")
# vllm.LLM arguments the vLLM sampler sets from the model and its adapter: compute.vllm.engine_args may not.
VLLM_OWN_ENGINE_ARGS = ("model", "dtype", "seed", "enable_lora", "max_loras", "max_lora_rank")


class ConfigError(ValueError):
    """A bad config: the message is one line per problem, each naming the key and the fix."""


def _key(path: Iterable[Any]) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def _fix(error: jsonschema.ValidationError) -> str:
    """What to do about one schema error, from the failing keyword."""
    v = error.validator_value
    match error.validator:
        case "additionalProperties":
            allowed = sorted(error.schema.get("properties", {}))
            return f"remove it or fix its spelling; allowed here: {', '.join(allowed)}" if allowed else "remove it"
        case "type":
            return f"give a value of type {v if isinstance(v, str) else ' or '.join(v)}"
        case "minimum":
            return f"give a value >= {v}"
        case "exclusiveMinimum":
            return f"give a value > {v}"
        case "maximum":
            return f"give a value <= {v}"
        case "enum":
            return f"use one of {', '.join(map(str, v))}"
        case "required":
            return "add the missing key"
        case "minItems" | "maxItems":
            return f"give {'at least' if error.validator == 'minItems' else 'at most'} {v} items"
        case "minProperties":
            return f"give at least {v} entries"
        case "pattern":
            return "use a known name or an import path module:Name"
        case "not" if "propertyNames" in error.relative_schema_path:
            return "rename it ('base' is the untrained model, always compared)"
        case _:
            return f"see the schema's {error.validator!r} rule for this key"


def schema_errors(config: Mapping[str, Any], schema_path: str | Path) -> list[str]:
    schema = yaml.safe_load(Path(schema_path).read_text())
    validator = jsonschema.Draft202012Validator(schema)
    lines = []
    for error in sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path))):
        key = _key(error.absolute_path)
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            key = ".".join([k for k in (_key(error.absolute_path), *extra) if k != "(top level)"])
            lines.append(f"config key {key}: unknown key; fix: {_fix(error)}")
        elif error.validator == "not" and "propertyNames" in error.relative_schema_path:
            lines.append(f"config key {key}.{error.instance}: the name is reserved; fix: {_fix(error)}")
        elif error.validator == "required":
            lines.append(f"config key {key}: {error.message}; fix: {_fix(error)}")
        else:
            lines.append(f"config key {key} = {error.instance!r}: {error.message}; fix: {_fix(error)}")
    return lines


def _semantic_errors(config: Mapping[str, Any]) -> list[str]:
    from gapo.topics import TOPICS

    lines = []
    world, evaluation = config["world"], config["evaluation"]
    heldout = world["heldout_topics"]
    unknown = sorted(set(heldout) - set(TOPICS))
    if unknown:
        lines.append(f"config key world.heldout_topics: {unknown} are not topics; fix: use topics of {sorted(TOPICS)}")
    if len(set(heldout)) != len(heldout):
        lines.append("config key world.heldout_topics: a topic is listed twice; fix: list each held-out topic once")
    if not set(TOPICS) - set(heldout):
        lines.append(
            "config key world.heldout_topics: every topic is held out, none is left for RL; fix: hold out fewer"
        )
    pretrain = (config.get("standin") or {}).get("pretrain") or {}
    batch, micro = pretrain.get("batch_size", 64), pretrain.get("micro_batches", 1)
    if batch % micro:
        lines.append(
            f"config key standin.pretrain.micro_batches = {micro} does not divide batch_size = {batch}; "
            "fix: give a divisor of batch_size"
        )
    lo, hi = world.get("list_items", [4, 10])
    if lo > hi:
        lines.append(f"config key world.list_items = {[lo, hi]}: smallest > largest; fix: give [smallest, largest]")
    for key in ("open_topics", "figure_topics", "train_topics"):
        bad = sorted(set(evaluation.get(key) or []) - set(TOPICS))
        if bad:
            lines.append(f"config key evaluation.{key}: {bad} are not topics; fix: use topics of {sorted(TOPICS)}")
    held_out_trained = sorted(set(evaluation.get("train_topics") or []) & set(heldout))
    if held_out_trained:
        lines.append(
            f"config key evaluation.train_topics: {held_out_trained} are held out; fix: name training topics only"
        )
    not_heldout = sorted(set(evaluation.get("figure_topics", [])) - set(heldout))
    if not_heldout:
        lines.append(
            f"config key evaluation.figure_topics: {not_heldout} are not held out; fix: draw held-out topics only"
        )
    n_items = evaluation.get("list_items", 8)
    small = sorted(t for t in heldout if t in TOPICS and len(TOPICS[t]) < n_items)
    if small:
        lines.append(
            f"config key evaluation.list_items = {n_items}: held-out topics {small} have fewer items; "
            f"fix: give at most {min(len(TOPICS[t]) for t in small)}"
        )
    bias_topic = evaluation.get("bias", {}).get("topic", "country")
    if bias_topic not in TOPICS:
        lines.append(
            f"config key evaluation.bias.topic = {bias_topic!r}: not a topic; fix: use one of {sorted(TOPICS)}"
        )
    for name, model in config["models"].items():
        if isinstance(model["source"], dict):  # packaged in a wheel: fetched and checked by its rule
            continue
        source = str(model["source"])
        looks_like_path = source.startswith(("/", ".", "~")) or source.count("/") > 1
        if source != "standin" and looks_like_path and not Path(source).expanduser().exists():
            lines.append(f"config key models.{name}.source = {source!r}: no such path; fix: give an existing model dir")
    compute = config.get("compute", {})
    if compute.get("sampling_backend") == "vllm" and compute.get("device", "cpu") != "cuda":
        lines.append(
            "config key compute.sampling_backend = 'vllm': vLLM needs a GPU; "
            "fix: set compute.device: cuda, or use sampling_backend: transformers"
        )
    taken = sorted(set(compute.get("vllm", {}).get("engine_args", {})) & set(VLLM_OWN_ENGINE_ARGS))
    if taken:
        lines.append(
            f"config key compute.vllm.engine_args: {taken} are set by the sampler from the model and its "
            "adapter; fix: remove them (the model's dtype is models.<name>.dtype, the seed is seed)"
        )
    if compute.get("sampling_backend") == "vllm":
        for name, model in config["models"].items():
            dtype = model.get("dtype", "float32")
            if dtype not in VLLM_LORA_DTYPES:
                lines.append(
                    f"config key models.{name}.dtype = {dtype!r}: vLLM serves LoRA "
                    f"adapters only in {' or '.join(VLLM_LORA_DTYPES)} (its LoRA kernels); fix: set "
                    "bfloat16, or use sampling_backend: transformers"
                )
    sweep = evaluation.get("temperature_sweep", {})
    names = {t["name"] for t in evaluation["accuracy"]["tasks"]}
    unknown_tasks = sorted(set(sweep.get("tasks", [])) - names)
    if unknown_tasks:
        lines.append(
            f"config key evaluation.temperature_sweep.tasks: {unknown_tasks} are not accuracy tasks; "
            f"fix: use names of evaluation.accuracy.tasks {sorted(names)}"
        )
    unknown_methods = sorted(set(sweep.get("methods", [])) - set(config["rl"]["methods"]))
    if unknown_methods:
        lines.append(
            f"config key evaluation.temperature_sweep.methods: {unknown_methods} are not rl.methods; "
            f"fix: use {sorted(config['rl']['methods'])}"
        )
    accelerate_config = compute.get("accelerate_config")
    if accelerate_config and not Path(accelerate_config).is_file():
        lines.append(
            f"config key compute.accelerate_config = {accelerate_config!r}: no such file; "
            "fix: give a file of config/accelerate/ or null"
        )
    elif accelerate_config:
        lines += _process_split_errors(config, accelerate_config)
    lines += _reward_errors(config)
    for task in evaluation["accuracy"]["tasks"]:
        key = f"config key evaluation.accuracy.tasks[{task['name']}]"
        if task.get("data") is not None and task.get("kind") not in ("generate", "multiple_choice"):
            lines.append(f"{key}: local data without kind; fix: add kind: generate or multiple_choice")
        if (task.get("kind") == "code") != bool(task.get("source")):
            lines.append(f"{key}: kind code and a source go together; fix: give both (a code benchmark) or neither")
    return lines


def method_sections(config: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Every trained method's config entry, by the section that holds it."""
    return {
        "rl.methods": config["rl"]["methods"],
        "ablations.methods": config.get("ablations", {}).get("methods", {}),
    }


def _process_split_errors(config: Mapping[str, Any], accelerate_config: str) -> list[str]:
    """prompts_per_step is per optimiser step: each training process must get an equal share."""
    processes = int((yaml.safe_load(Path(accelerate_config).read_text()) or {}).get("num_processes", 1))
    common = config["rl"]["common"].get("prompts_per_step", 16)
    sections = method_sections(config)
    lines = []
    for section, methods in sections.items():
        for method, spec in methods.items():
            per_step = spec.get("settings", {}).get("prompts_per_step", common)
            if per_step % processes:
                lines.append(
                    f"config key {section}.{method}: prompts_per_step = {per_step} cannot be split evenly over the "
                    f"{processes} processes of compute.accelerate_config; fix: a multiple of {processes}"
                )
    return lines


def _reward_errors(config: Mapping[str, Any]) -> list[str]:
    from gapo.rewards import build_reward

    lines = []
    sections = method_sections(config)
    for section, methods in sections.items():
        for method, spec in methods.items():
            for i, reward in enumerate(spec["rewards"]):
                try:
                    build_reward(reward["name"], **reward.get("options", {}))
                except (ValueError, TypeError, KeyError, FileNotFoundError) as err:
                    message = str(err).splitlines()[0]
                    key = f"{section}.{method}.rewards[{i}]"
                    lines.append(f"config key {key}: {message}; fix: check the reward's name and options")
    clash = sorted(set(sections["ablations.methods"]) & set(sections["rl.methods"]))
    if clash:
        lines.append(f"config key ablations.methods: {clash} are also in rl.methods; fix: give them other names")
    known = {"base", *sections["rl.methods"], *sections["ablations.methods"]}
    for study, compared in config.get("ablations", {}).get("studies", {}).items():
        unknown = sorted(set(compared) - known)
        if unknown:
            lines.append(f"config key ablations.studies.{study}: unknown methods {unknown}; fix: use {sorted(known)}")
    return lines


def resolve_device(config: dict[str, Any]) -> None:
    """compute.device: auto becomes cuda when this machine sees a GPU, else cpu."""
    compute = config.setdefault("compute", {})
    if compute.get("device") == "auto":
        import torch  # only here: planning the DAG otherwise never pays torch's import

        compute["device"] = "cuda" if torch.cuda.is_available() else "cpu"


def drop_removed_models(config: dict[str, Any]) -> None:
    """Remove the models a config file set to null. A --configfile is merged over the default config
    key by key, so null is how it drops a default model (config/paper.yaml drops the stand-in)."""
    models = config.get("models")
    if isinstance(models, dict):
        config["models"] = {name: entry for name, entry in models.items() if entry is not None}


def check_schema(config: Mapping[str, Any], schema_path: str | Path) -> None:
    """Raise ConfigError listing every schema problem of `config`, one line each."""
    lines = schema_errors(config, schema_path)
    if lines:
        raise ConfigError("\n".join(lines))


def check_semantics(config: Mapping[str, Any]) -> None:
    """Raise ConfigError listing what the schema cannot check, one line each (run on a config whose
    defaults are filled in, after the schema check)."""
    lines = _semantic_errors(config)
    if lines:
        raise ConfigError("\n".join(lines))
