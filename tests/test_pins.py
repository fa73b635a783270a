"""pyproject.toml and environment.yml must pin the same versions."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pins(requirements):
    pins = {}
    for req in requirements:
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;]+)", req.strip())
        assert m, f"{req!r} is not an exact pin"
        pins[m.group(1).lower().replace("_", "-")] = m.group(3)
    return pins


def test_environment_yml_pins_match_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    (pip_section,) = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    # Cluster users get the Slurm executor too (profiles/slurm).
    expected = project["dependencies"] + project["optional-dependencies"]["slurm"]
    assert _pins(expected) == _pins(pip_section)


def test_slurm_plugins_are_pinned_alike_in_the_extras():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    slurm = _pins(extras["slurm"])
    assert set(slurm) == {"snakemake-executor-plugin-slurm", "snakemake-executor-plugin-slurm-jobstep"}
    assert slurm.items() <= _pins(extras["dev"]).items()  # the dev extra runs tests/test_slurm.py


def test_torch_is_pinned_to_the_cpu_build_on_pypi():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert _pins(project["dependencies"])["torch"] == "2.13.0"
