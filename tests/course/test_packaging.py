"""The two ways of installing describe the same dependencies, and CI runs
exactly what the README tells a new user to run."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

import bank

ROOT = Path(__file__).resolve().parents[2]


def split(requirement: str) -> tuple[str, str]:
    """('psycopg', '>=3.2') from 'psycopg[binary]>=3.2'."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*?)\s*", requirement)
    assert match, requirement
    return match[1].lower().replace("_", "-"), match[3].replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    return {name: bound for name, bound in map(split, requirements) if name != project["name"]}


def environment_requirements() -> dict[str, str]:
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert conda["channels"] == ["conda-forge"]
    requirements = []
    for item in conda["dependencies"]:
        requirements += item["pip"] if isinstance(item, dict) else [item]
    found = dict(map(split, requirements))
    assert found.pop("python") == "=3.11"  # the form repo2docker reads
    found.pop("pip")
    return found


def test_environment_yml_and_pyproject_list_the_same_dependencies():
    assert environment_requirements() == pyproject_requirements()


def test_core_dependencies_are_there():
    assert {"eventsourcing", "jupyter", "nbval", "pandas", "matplotlib"} <= set(pyproject_requirements())
    assert pyproject_requirements()["eventsourcing"] == ">=9.5,<9.6"


def readme_block(heading: str) -> list[str]:
    """Shell lines of the first ```bash block after a README heading."""
    text = (ROOT / "README.md").read_text()
    after = text[text.index(heading) :]
    block = re.search(r"```bash\n(.*?)```", after, re.S)[1]
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_ci_runs_the_readme_install_and_test_commands():
    ci = (ROOT / ".ci" / "run").read_text()
    install = readme_block("### With pip")
    for line in install:
        assert line in ci, f".ci/run does not run README line: {line}"
    test_command = readme_block("## Run the tests")
    assert len(test_command) == 1
    assert test_command[0] in ci.splitlines()


def test_public_api_names_resolve_and_importing_bank_needs_no_library():
    for name in bank.__all__:
        assert getattr(bank, name) is not None
    assert set(bank.__all__) <= set(dir(bank))
    # Importing the package itself imports nothing from eventsourcing, so the
    # environment check can run (and say what is missing) without it.
    code = "import sys, course.environment; print('eventsourcing' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_bank_imports_none_of_the_courses_tooling():
    # Every module of bank/, imported in a fresh interpreter: none of them may
    # bring in the course's tooling or the libraries only the tooling needs.
    tooling = ["course", "matplotlib", "nbformat", "nbconvert", "pypdf", "selenium", "tqdm"]
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (ROOT / "bank").rglob("*.py")
        if path.stem != "__main__"
    )
    code = (
        f"import importlib, sys\nfor name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in {tooling!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert len(modules) >= 20
    assert result.stdout.strip() == "[]"
