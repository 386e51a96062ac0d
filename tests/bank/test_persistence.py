"""Choosing a backend in one line, and clear messages for bad configuration."""

import pytest

from bank import AccountService, PersistenceConfigError, persistence_env
from bank.persistence import postgres_url_env


def test_memory_is_the_library_in_memory_store():
    assert persistence_env() == {"PERSISTENCE_MODULE": "eventsourcing.popo"}


def test_sqlite_gives_each_service_its_own_file(tmp_path):
    env = persistence_env("sqlite", tmp_path)
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert env["ACCOUNTSERVICE_SQLITE_DBNAME"] == str(tmp_path / "accountservice.sqlite")
    assert env["LEDGERSERVICE_SQLITE_DBNAME"] == str(tmp_path / "ledgerservice.sqlite")


def test_unknown_backend_names_the_choices():
    with pytest.raises(PersistenceConfigError, match="unknown backend 'mongo': choose one of memory, sqlite, postgres"):
        persistence_env("mongo")


def test_sqlite_needs_a_folder():
    with pytest.raises(PersistenceConfigError, match="needs a folder"):
        persistence_env("sqlite")


def test_sqlite_folder_that_cannot_be_created_is_refused_clearly(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    with pytest.raises(PersistenceConfigError, match="as the SQLite folder: Not a directory"):
        persistence_env("sqlite", not_a_folder / "data")


def test_sqlite_folder_on_a_read_only_filesystem_is_refused_clearly():
    with pytest.raises(PersistenceConfigError, match="/proc/bank"):
        persistence_env("sqlite", "/proc/bank")


def test_postgres_url_becomes_the_library_variables():
    assert postgres_url_env("postgresql://bank:s%40cret@db.example:6543/course") == {
        "POSTGRES_DBNAME": "course",
        "POSTGRES_HOST": "db.example",
        "POSTGRES_PORT": "6543",
        "POSTGRES_USER": "bank",
        "POSTGRES_PASSWORD": "s@cret",
    }


def test_a_bad_postgres_url_is_refused():
    with pytest.raises(PersistenceConfigError, match="not a PostgreSQL URL"):
        persistence_env("postgres", "mysql://x/y")


def test_services_use_the_chosen_backend(tmp_path):
    service = AccountService(env=persistence_env("sqlite", tmp_path))
    service.open_account("Alice")
    service.close()
    assert (tmp_path / "accountservice.sqlite").stat().st_size > 0
