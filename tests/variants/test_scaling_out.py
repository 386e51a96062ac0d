"""Scaling out: writers and followers as processes of their own, sharing a database."""

import os
import signal
import socket
import subprocess
import sys
from decimal import Decimal

import pytest

from bank import AccountService, EventSourcedBank, LedgerService, TransactionLogService
from bank.variants.scaling_out import READY, check_own_file, shared_env


def command(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bank.scaling_out", *args],
        env={k: v for k, v in os.environ.items() if k != "PERSISTENCE_MODULE"} | (env or {}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def end(process: subprocess.Popen) -> None:
    """Kill the process if it is still running: a failed test leaves none behind."""
    if process.poll() is None:
        process.kill()
    process.wait()


def one_line_error(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    process = command(*args, env=env)
    try:
        _, err = process.communicate(timeout=60)
    finally:
        end(process)
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    return process.returncode, err


@pytest.mark.parametrize(
    "args",
    [["writer", "--transfers", n] for n in ("-5", "many", "٣", "1_0", "0")] + [["teller"]],
    ids=["negative", "word", "arabic-indic-digit", "underscore", "zero", "unknown"],
)
def test_bad_arguments_are_refused_with_status_2(args):
    process = command(*args)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "error:" in err.splitlines()[-1]


def test_without_a_shared_database_the_processes_refuse_to_start():
    status, err = one_line_error("ledger")
    assert status == 1
    assert "need a database they can share" in err


def test_a_writer_needs_two_accounts(sqlite_env):
    status, err = one_line_error("writer", env=sqlite_env)
    assert status == 1
    assert "at least two accounts" in err


def test_a_follower_refuses_the_writers_own_database_file(sqlite_env):
    one_file = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": sqlite_env["ACCOUNTSERVICE_SQLITE_DBNAME"],
    }
    status, err = one_line_error("ledger", env=one_file)
    assert status == 1
    assert "LedgerService needs a database file of its own, not the account service's" in err
    with pytest.raises(ValueError, match="TransactionLogService needs a database file of its own"):
        check_own_file(TransactionLogService, shared_env(one_file))


def test_a_follower_refuses_to_start_when_its_leader_lost_events(sqlite_env, tmp_path):
    with EventSourcedBank(sqlite_env) as bank:
        alice = bank.accounts.open_account("Alice")
        bank.accounts.deposit(alice, Decimal("300.00"))
    # The accounts' database is lost and the bank starts again on a new one: a
    # new file (one deleted under an open connection could come back from its WAL).
    lost = sqlite_env | {"ACCOUNTSERVICE_SQLITE_DBNAME": str(tmp_path / "new-accounts.sqlite")}
    accounts = AccountService(env=lost)
    accounts.open_account("Bob")
    accounts.close()
    status, err = one_line_error("ledger", env=lost)
    assert status == 1
    assert "LedgerService has processed AccountService's events up to 2, but AccountService has only 1" in err
    ledger = LedgerService(env=lost)
    assert ledger.get_balance() == Decimal("300.00"), "the ledger recorded nothing of the new database"
    ledger.close()


def test_a_postgres_server_that_is_not_there_is_reported_in_seconds():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": "bank",
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": "bank",
        "POSTGRES_PASSWORD": "bank",
    }
    status, err = one_line_error("writer", env=env)  # within 60 s, not the library's default 30 s per try
    assert status == 1
    assert "couldn't get a connection after 5.00 sec" in err


@pytest.mark.parametrize("follower", ["ledger", "log"])
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_a_follower_process_stops_cleanly_on_a_signal(sqlite_env, follower, how):
    process = command(follower, env=sqlite_env)
    try:
        assert process.stdout.readline().strip() == READY
        process.send_signal(how)
        _, err = process.communicate(timeout=60)
    finally:
        end(process)
    assert process.returncode == (0 if how == signal.SIGTERM else 130)
    assert err == ""
