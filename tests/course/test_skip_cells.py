"""skip_cells_without: with the extra installed it changes nothing; without
it, each marked cell prints one line saying what to install."""

import pytest
from IPython.core.interactiveshell import InteractiveShell

from course import extras
from course.skip_cells import skip_cells_without

MARKER = "# Needs PostgreSQL"
MARKED_CELL = f"{MARKER}\nimport a_module_that_is_not_installed\n"


@pytest.fixture
def shell():
    shell = InteractiveShell.instance()
    before = list(shell.input_transformers_cleanup)
    yield shell
    shell.input_transformers_cleanup[:] = before


@pytest.fixture
def without_psycopg(monkeypatch):
    monkeypatch.setattr(extras, "installed_version", lambda name: None if name == "psycopg" else "1.0")


def test_with_the_extra_installed_nothing_changes(shell):
    assert skip_cells_without("postgres", MARKER, shell=shell)
    assert shell.transform_cell(MARKED_CELL) == MARKED_CELL


@pytest.mark.usefixtures("without_psycopg")
def test_without_it_a_marked_cell_prints_one_line_saying_what_to_install(shell, capsys):
    assert not skip_cells_without("postgres", MARKER, shell=shell)
    assert shell.run_cell(MARKED_CELL).success
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "'postgres' extra (psycopg not installed)" in out
    assert "pip install 'event-sourced-bank[postgres]'" in out


@pytest.mark.usefixtures("without_psycopg")
def test_without_it_other_cells_run_as_they_are(shell):
    skip_cells_without("postgres", MARKER, shell=shell)
    assert shell.transform_cell("x = 1\n") == "x = 1\n"


@pytest.mark.usefixtures("without_psycopg")
def test_calling_it_twice_keeps_one_rule(shell):
    for _ in range(2):
        skip_cells_without("postgres", MARKER, shell=shell)
    rules = [rule for rule in shell.input_transformers_cleanup if getattr(rule, "marker", None) == MARKER]
    assert len(rules) == 1
