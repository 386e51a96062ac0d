"""Scaling out: the ledger and the writer as processes of their own, and
several ledgers, one per share of the accounts, that add up to the one ledger."""

import json
import os
import signal
import socket
import subprocess
import sys
from decimal import Decimal

import pytest

from bank import AccountService, LedgerService
from bank.scaling_out import READY, ledger_partition, partition_of, run_ledger


def test_one_partition_is_the_bank_ledger():
    assert ledger_partition(0, 1) is LedgerService


def test_a_partition_index_must_exist():
    with pytest.raises(ValueError, match="between 0 and 2"):
        ledger_partition(3, 3)


def test_partitions_have_their_own_names_and_ledgers():
    first, second = ledger_partition(0, 2), ledger_partition(1, 2)
    assert (first.name, second.name) == ("LedgerPartition1of2", "LedgerPartition2of2")
    assert first.LEDGER_NAME != second.LEDGER_NAME


def test_partitions_together_record_every_transaction_once(postgres_env):
    accounts = AccountService(env=postgres_env)
    ids = [accounts.open_account(f"Owner {n}") for n in range(8)]
    for n, account_id in enumerate(ids, 1):
        accounts.deposit(account_id, Decimal(n))
    accounts.transfer(ids[0], ids[1], Decimal("0.50"))
    partitions = [ledger_partition(k, 3) for k in range(3)]
    for partition in partitions:
        run_ledger(env=postgres_env, ledger_class=partition, until_idle=True)
    run_ledger(env=postgres_env, until_idle=True)

    ledgers = [cls(env=postgres_env) for cls in [*partitions, LedgerService]]
    *shares, whole = ledgers
    assert sum(s.get_balance() for s in shares) == whole.get_balance() == Decimal(36)
    assert sum(s.get_transaction_count() for s in shares) == whole.get_transaction_count() == 10
    for k, share in enumerate(shares):
        mine = [i for i in ids if partition_of(i, 3) == k]
        assert share.get_balance() == sum(accounts.get_balance(i) for i in mine)
    for app in [*ledgers, accounts]:
        app.close()


def command(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bank.scaling_out", *args],
        env={k: v for k, v in os.environ.items() if k != "PERSISTENCE_MODULE"} | (env or {}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def one_line_error(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    process = command(*args, env=env)
    _, err = process.communicate(timeout=60)
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    return process.returncode, err


@pytest.mark.parametrize(
    "args",
    [
        ["ledger", "--partition", "3/2"],
        ["ledger", "--partition", "x"],
        ["ledger", "--partition", "1/0"],
        ["writer", "--transfers", "-5"],
        ["writer", "--transfers", "many"],
        ["teller"],
    ],
    ids=["partition-3-of-2", "partition-x", "partition-1-of-0", "negative-transfers", "transfers-word", "unknown"],
)
def test_bad_arguments_are_one_line_and_status_2(args):
    status, err = one_line_error(*args)
    assert status == 2
    assert "error:" in err


def test_without_a_shared_database_the_processes_refuse_to_start():
    status, err = one_line_error("ledger")
    assert status == 1
    assert "need a database they can share" in err


def test_a_writer_needs_two_accounts(sqlite_env):
    status, err = one_line_error("writer", env=sqlite_env)
    assert status == 1
    assert "at least two accounts" in err


def test_a_postgres_server_that_is_not_there_is_reported_at_once():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": "bank",
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": "bank",
    }
    status, err = one_line_error("writer", env=env)  # within one_line_error's 60 s, not the library's 30 s x retries
    assert status == 1
    assert f"cannot connect to PostgreSQL at 127.0.0.1:{port}" in err


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_the_ledger_process_stops_cleanly_on_a_signal(postgres_env, how):
    ledger = command("ledger", env=postgres_env)
    assert ledger.stdout.readline().strip() == READY
    ledger.send_signal(how)
    out, err = ledger.communicate(timeout=60)
    assert ledger.returncode == 0
    assert json.loads(out) == {"conflicts": 0}
    assert "Traceback" not in err
