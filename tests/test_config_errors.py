"""Bad configs fail when the DAG starts, with one line per problem naming the key and the fix."""

import copy
from pathlib import Path

import pytest
import yaml
from snakemake.utils import validate

from gapo.config import ConfigError, check_schema, check_semantics, drop_removed_models

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"


def merged(fragment: str) -> dict:
    """config/config.yaml with a fragment merged over it, as snakemake merges --configfile."""

    def merge(base: dict, over: dict) -> dict:
        for k, v in over.items():
            base[k] = merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
        return base

    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    return merge(copy.deepcopy(config), yaml.safe_load(fragment))


def check(config: dict) -> None:
    drop_removed_models(config)
    check_schema(config, SCHEMA)
    validate(config, str(SCHEMA))  # fills the schema's defaults, as the Snakefile does
    check_semantics(config)


CASES = [
    ("sede: 1", "config key sede: unknown key", "fix: remove it or fix its spelling"),
    ("rl: {common: {steps: many}}", "config key rl.common.steps = 'many'", "fix: give a value of type integer"),
    ("evaluation: {samplez: {}}", "config key evaluation.samplez: unknown key", "allowed here:"),
    ("rl: {methods: {base: {rewards: [{name: validity}]}}}", "config key rl.methods", "fix: rename it"),
    ("rl: {common: {steps: 0}}", "config key rl.common.steps = 0", "fix: give a value >= 1"),
    ("rl: {common: {learning_rate: -1.0}}", "config key rl.common.learning_rate = -1.0", "fix: give a value > 0"),
    ("evaluation: {temperatures: [0.7, 0]}", "config key evaluation.temperatures.1 = 0", "fix: give a value > 0"),
    ("rl: {common: {temperature: 0}}", "config key rl.common.temperature = 0", "fix: give a value > 0"),
    ("rl: {common: {num_generations: 1}}", "config key rl.common.num_generations = 1", "fix: give a value >= 2"),
    ("rl: {methods: {gapo: {rewards: [{name: diversity}]}}}", "rl.methods.gapo.rewards.0.name", "fix: use a known"),
    ("replicates: 0", "config key replicates = 0", "fix: give a value >= 1"),
    (
        "standin: {pretrain: {micro_batches: 3}}",
        "config key standin.pretrain.micro_batches = 3 does not divide batch_size = 64",
        "fix: give a divisor",
    ),
    ("rl: {common: {loss_type: ppo}}", "config key rl.common.loss_type = 'ppo'", "fix: use one of grpo"),
    ("rl: {common: {lora: {r: 0}}}", "config key rl.common.lora.r = 0", "fix: give a value >= 1"),
    ("models: {standin: {source: standin, dtype: float8}}", "models.standin.dtype = 'float8'", "fix: use one of"),
    ("world: {list_items: [4, 6, 8]}", "config key world.list_items", "fix: give at most 2 items"),
    ("standin: {corpus_size: 0}", "config key standin.corpus_size = 0", "fix: give a value >= 1"),
    ("models: {other: {dtype: float32}}", "config key models.other: 'source' is a required", "fix: add the missing"),
    ("world: {heldout_topics: [pluto]}", "world.heldout_topics: ['pluto'] are not topics", "fix: use topics"),
    (
        "world: {heldout_topics: [planet, planet]}",
        "config key world.heldout_topics: a topic is listed twice",
        "fix: list each",
    ),
    ("compute: {sampling_backend: vllm}", "config key compute.sampling_backend = 'vllm'", "fix: set compute.device"),
    (
        "compute: {device: cuda, sampling_backend: vllm}",
        "config key models.standin.dtype = 'float32': vLLM serves LoRA adapters only in bfloat16 or float16",
        "fix: set bfloat16",
    ),
    (
        "compute: {vllm: {engine_args: {dtype: float32, tensor_parallel_size: 2}}}",
        "config key compute.vllm.engine_args: ['dtype'] are set by the sampler",
        "fix: remove them",
    ),
    ("compute: {accelerate_config: no.yaml}", "config key compute.accelerate_config = 'no.yaml'", "fix: give"),
    (
        "compute: {accelerate_config: config/accelerate/multi_gpu.yaml}\nrl: {common: {prompts_per_step: 6}}",
        "config key rl.methods.gapo: prompts_per_step = 6 cannot be split evenly over the 4 processes",
        "fix: a multiple of 4",
    ),
    ("evaluation: {temperature_sweep: {tasks: [gsm9k]}}", "temperature_sweep.tasks: ['gsm9k']", "fix: use names"),
    ("evaluation: {temperature_sweep: {methods: [gap]}}", "temperature_sweep.methods: ['gap']", "fix: use"),
    ("evaluation: {temperature_sweep: {temperatures: [0.7]}}", "temperature_sweep.temperatures", "at least 2"),
    ("compute: {device: tpu}", "config key compute.device = 'tpu'", "fix: use one of cpu, cuda"),
    ("models: {standin: null}", "config key models = {}", "fix: give at least 1 entries"),
    ("world: {list_items: [10, 4]}", "config key world.list_items = [10, 4]", "fix: give [smallest, largest]"),
    ("evaluation: {figure_topics: [color]}", "config key evaluation.figure_topics: ['color'] are not held out", "fix:"),
    ("evaluation: {open_topics: [unicorn]}", "config key evaluation.open_topics: ['unicorn'] are not topics", "fix:"),
    ("evaluation: {train_topics: [planet]}", "config key evaluation.train_topics: ['planet'] are held out", "fix:"),
    (
        "evaluation: {accuracy: {tasks: [{name: he, metric: 'pass_at_1,program', kind: code}]}}",
        "config key evaluation.accuracy.tasks[he]: kind code and a source go together",
        "fix: give both",
    ),
    ("evaluation: {list_items: 9}", "config key evaluation.list_items = 9", "fix: give at most 8"),
    ("evaluation: {bias: {topic: unicorn}}", "config key evaluation.bias.topic = 'unicorn'", "fix: use one of"),
    ("models: {standin: {source: ./no/such/model}}", "config key models.standin.source", "fix: give an existing"),
    (
        "rl: {methods: {gapo: {rewards: [{name: frequency_aware, options: {form: squared}}]}}}",
        "config key rl.methods.gapo.rewards[0]: form must be 'signed' or 'abs'",
        "fix: check the reward",
    ),
    (
        "rl: {methods: {gapo: {rewards: [{name: 'mypkg.nowhere:Reward'}]}}}",
        "config key rl.methods.gapo.rewards[0]: reward 'mypkg.nowhere:Reward' cannot be imported",
        "fix:",
    ),
    (
        "ablations: {methods: {x: {rewards: [{name: partition}]}}, studies: {s: [base, y]}}",
        "config key ablations.studies.s: unknown methods ['y']",
        "fix:",
    ),
]


def test_the_shipped_config_passes():
    check(merged("{}"))


@pytest.mark.parametrize(("fragment", "names", "fix"), CASES, ids=[c[0][:40] for c in CASES])
def test_bad_config_is_one_line_naming_key_and_fix(fragment, names, fix):
    with pytest.raises(ConfigError) as err:
        check(merged(fragment))
    lines = str(err.value).splitlines()
    line = next((ln for ln in lines if names in ln), None)
    assert line is not None, lines
    assert fix in line and line.startswith("config key ")
