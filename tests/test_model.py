"""Loading a policy: a trained adapter must show in the outputs, or the load fails loudly."""

import pytest
import torch
from peft import LoraConfig, get_peft_model
from safetensors.torch import load_file, save_file

from gapo.model import PROBE_TEXT, adapter_is_trained, load_policy


def save_adapter(model_dir, out, trained: bool):
    model, _ = load_policy(str(model_dir))
    peft = get_peft_model(model, LoraConfig(r=2, lora_alpha=4, target_modules="all-linear", task_type="CAUSAL_LM"))
    if trained:
        with torch.no_grad():
            for name, p in peft.named_parameters():
                if "lora_B" in name:
                    p.fill_(0.05)
    peft.save_pretrained(out)
    return out


def probe(model, tok):
    with torch.no_grad():
        return model(**tok(PROBE_TEXT, return_tensors="pt")).logits[0, -1]


def test_a_trained_adapter_changes_the_outputs(tiny_model_dir, tmp_path):
    adapter = save_adapter(tiny_model_dir, tmp_path / "adapter", trained=True)
    assert adapter_is_trained(str(adapter))
    base, tok = load_policy(str(tiny_model_dir))
    tuned, _ = load_policy(str(tiny_model_dir), str(adapter))
    assert not torch.equal(probe(base, tok), probe(tuned, tok))


def test_an_untrained_adapter_is_the_base_model_and_says_so(tiny_model_dir, tmp_path, caplog):
    adapter = save_adapter(tiny_model_dir, tmp_path / "adapter", trained=False)
    assert not adapter_is_trained(str(adapter))
    tuned, tok = load_policy(str(tiny_model_dir), str(adapter))
    base, _ = load_policy(str(tiny_model_dir))
    assert torch.equal(probe(base, tok), probe(tuned, tok))
    assert "untrained" in caplog.text


def test_a_trained_adapter_that_loads_into_nothing_fails(tiny_model_dir, tmp_path):
    adapter = save_adapter(tiny_model_dir, tmp_path / "adapter", trained=True)
    weights_file = adapter / "adapter_model.safetensors"
    # weight names that match no module of the model: peft loads nothing and only warns
    weights = {k.replace("layers", "blocks"): v for k, v in load_file(weights_file).items()}
    save_file(weights, weights_file)
    with pytest.raises(RuntimeError, match="leaves the model's output unchanged"):
        load_policy(str(tiny_model_dir), str(adapter))
