"""Packaging: pyproject, environment.yml, Makefile, README and CI agree with each other."""

from __future__ import annotations

import re
import tomllib

import yaml
from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
RUN_CMD = "python3.11 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/plancompare run"
TEST_TAIL = '.venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest -q'
TEST_CMD = "python3.11 -m venv .venv && " + TEST_TAIL


def quickstart_commands() -> list[str]:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", section, flags=re.DOTALL)


def test_quickstart_is_exactly_two_one_line_commands():
    assert quickstart_commands() == [RUN_CMD, TEST_CMD]


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    assert "-m venv --clear .venv" in script
    assert script.rstrip().splitlines()[-1] == TEST_TAIL
    assert "|| true" not in script and "| tee" not in script
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111


def test_environment_yml_defers_to_the_package():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    pinned = [d for d in deps if isinstance(d, str)]
    (pip,) = [d["pip"] for d in deps if isinstance(d, dict)]
    assert pinned == ["python=3.11", "pip"]
    assert pip == ["-e .[lab,test]"]
    extras = re.search(r"\[(.*)\]", pip[0]).group(1).split(",")
    assert set(extras) <= set(PYPROJECT["project"]["optional-dependencies"])


def test_python_versions_agree():
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py311"
    assert "python3.11" in RUN_CMD


def test_extras_and_entry_point():
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert set(extras) == {"lab", "test", "dev"}
    assert [d.split(">")[0] for d in extras["lab"]] == ["jupyterlab"]
    assert {d.split(">")[0] for d in extras["test"]} == {"pytest", "hypothesis", "reportlab"}
    deps = " ".join(PYPROJECT["project"]["dependencies"])
    assert "jupyterlab" not in deps          # kept out: it slows `import nbformat` by ~0.7 s
    assert PYPROJECT["project"]["scripts"] == {"plancompare": "plancompare.cli:main"}


def test_every_dependency_is_justified_in_the_readme():
    table = README.split("## Dependencies", 1)[1].split("\n## ", 1)[0]
    names = [re.split(r"[<>=\[ ]", d)[0] for d in PYPROJECT["project"]["dependencies"]]
    names += [re.split(r"[<>=\[ ]", d)[0] for ds in
              PYPROJECT["project"]["optional-dependencies"].values() for d in ds]
    assert [n for n in names if n not in table] == []


def test_makefile_targets_match_the_readme():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.MULTILINE))
    assert {"setup", "build", "run", "test", "lint"} <= targets
    for target in ("setup", "build", "run", "test", "lint"):
        assert f"`make {target}`" in README
    assert "$(BIN)/python -m pytest -q" in makefile


def test_readme_has_sections_for_other_work():
    for heading in ("## Reports", "## Performance", "## Commands", "## Adding a district",
                    "## The data contract"):
        assert heading in README
