"""allow_redefinition: a notebook cell that defines an aggregate class runs again."""

import os

import pytest
from eventsourcing.domain import ENVVAR_DISABLE_REDEFINITION_CHECK
from IPython.core.interactiveshell import InteractiveShell

from course.redefinition import allow_redefinition, forget_topics

CELL = """
from decimal import Decimal
from eventsourcing.domain import Aggregate, event

class Jar(Aggregate):
    @event("Opened")
    def __init__(self, owner):
        self.owner = owner

jar = Jar("Dora")
replayed = jar.collect_events()[0].mutate(None)
assert type(replayed) is Jar and replayed.owner == "Dora"
"""


@pytest.fixture
def without_switch(monkeypatch):
    """The library's switch unset, and unset again after the test."""
    monkeypatch.setenv(ENVVAR_DISABLE_REDEFINITION_CHECK, "")  # (so that it is restored)
    monkeypatch.delenv(ENVVAR_DISABLE_REDEFINITION_CHECK)


@pytest.fixture
def shell(without_switch):
    """A fresh IPython shell, as a notebook's kernel has."""
    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance()
    yield shell
    shell.run_cell("del Jar")  # (forget the test's class and its topic)
    forget_topics()
    InteractiveShell.clear_instance()


def run(shell, source):
    """The error the cell raised, or None."""
    return shell.run_cell(source).error_in_exec


def test_without_it_a_cell_that_defines_an_aggregate_fails_when_run_again(shell):
    assert run(shell, CELL) is None
    assert "already defined" in str(run(shell, CELL))


def test_with_it_the_cell_runs_again_and_again(shell):
    assert run(shell, "from course.redefinition import allow_redefinition\nallow_redefinition()") is None
    assert [run(shell, CELL) for _ in range(3)] == [None, None, None]


def test_calling_it_again_registers_one_hook(shell):
    allow_redefinition()
    allow_redefinition()
    assert shell.events.callbacks["pre_run_cell"].count(forget_topics) == 1


def test_outside_ipython_it_sets_the_librarys_switch(without_switch):
    InteractiveShell.clear_instance()
    allow_redefinition()
    assert ENVVAR_DISABLE_REDEFINITION_CHECK in os.environ
