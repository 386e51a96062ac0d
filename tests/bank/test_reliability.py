"""Nothing lost, nothing counted twice: crashes, concurrent writers and
restarts, on every backend that can be shared (SQLite, PostgreSQL) and, for
what happens inside one process, in memory too.

The figures (kill points, conflicts) are printed: run with `-s` to see them."""

import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from random import Random

import pytest
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from bank import Account, AccountService, EventSourcedBank, InsufficientFundsError, LedgerService, persistence_env
from bank.postgres import embedded_postgres
from bank.safe_system import safe
from bank.scaling_out import READY, retry_on_conflict, run_ledger

KILL_POINTS = 12
OPENING_DEPOSIT = Decimal("1000.00")


def start(command: str, env: dict[str, str], *args: str) -> subprocess.Popen:
    """Start `python -m bank.scaling_out COMMAND ...` configured by `env`."""
    return subprocess.Popen(
        [sys.executable, "-m", "bank.scaling_out", command, *args],
        env=os.environ | env,
        stdout=subprocess.PIPE,
        text=True,
    )


def open_accounts(env: dict[str, str], count: int = 4) -> None:
    accounts = AccountService(env=env)
    for n in range(count):
        account_id = accounts.open_account(f"Owner {n}")
        accounts.deposit(account_id, OPENING_DEPOSIT)
    accounts.close()


def expected_ledger(env: dict[str, str]) -> tuple[Decimal, int]:
    """What the ledger must say, from the account service's side alone: the
    sum of the balances, and the number of credits and debits recorded."""
    accounts = AccountService(env=env)
    balance = sum(accounts.get_balance(i) for i in accounts.list_accounts())
    count = len(accounts.recorder.select_notifications(start=None, limit=10**6, topics=LedgerService.topics))
    accounts.close()
    return balance, count


def ledger_figures(env: dict[str, str]) -> tuple[Decimal, int]:
    ledger = LedgerService(env=env)
    figures = ledger.get_balance(), ledger.get_transaction_count()
    ledger.close()
    return figures


def count_topic(env: dict[str, str], topic: str) -> int:
    accounts = AccountService(env=env)
    count = len(accounts.recorder.select_notifications(start=None, limit=10**6, topics=[topic]))
    accounts.close()
    return count


def started(command: str, env: dict[str, str], *args: str) -> subprocess.Popen:
    """`start(...)`, returned once the process has said it is ready."""
    process = start(command, env, *args)
    assert process.stdout.readline().strip() == READY
    return process


def wait_until(condition, what: str, timeout: float = 120) -> None:
    """Wait for a signal from the database (checked every few milliseconds);
    the timeout is only a safety net."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.005)


def ledger_position(env: dict[str, str]) -> int:
    ledger = LedgerService(env=env)
    position = ledger.recorder.max_tracking_id(AccountService.name) or 0
    ledger.close()
    return position


def recorded_events(env: dict[str, str]) -> int:
    accounts = AccountService(env=env)
    count = accounts.recorder.max_notification_id() or 0
    accounts.close()
    return count


def test_ledger_killed_at_random_points_ends_with_exactly_the_right_balance_and_count(durable_env):
    open_accounts(durable_env)
    writer = started("writer", durable_env, "--transfers", "100000", "--seed", "1")
    rng = Random(42)
    positions = []
    try:
        for _ in range(KILL_POINTS):
            ledger = started("ledger", durable_env)
            target = ledger_position(durable_env) + rng.randint(1, 40)
            wait_until(lambda: ledger_position(durable_env) >= target, "the ledger to make progress")  # noqa: B023
            ledger.send_signal(signal.SIGKILL)  # a crash: no clean-up at all
            assert ledger.wait() == -signal.SIGKILL
            assert writer.poll() is None, "the accounts kept changing during every kill"
            positions.append(ledger_position(durable_env))
    finally:
        writer.terminate()
        writer.wait()
    run_ledger(env=durable_env, until_idle=True)  # restart it one last time: it catches up

    balance, count = ledger_figures(durable_env)
    print(f"\n{durable_env['PERSISTENCE_MODULE']}: {KILL_POINTS} kill points survived, ledger positions {positions}")
    assert (balance, count) == expected_ledger(durable_env)
    assert balance == 4 * OPENING_DEPOSIT  # transfers move money, they do not make it
    assert positions == sorted(positions), "progress is never lost"
    assert positions[-1] > positions[0], "the ledger made progress between the kills"


def test_account_service_killed_mid_stream_records_no_half_transfer(durable_env):
    open_accounts(durable_env)
    rng = Random(7)
    for seed in range(KILL_POINTS):
        writer = started("writer", durable_env, "--transfers", "100000", "--seed", str(seed))
        target = recorded_events(durable_env) + rng.randint(2, 60)
        wait_until(lambda: recorded_events(durable_env) >= target, "the writer to record transfers")  # noqa: B023
        writer.send_signal(signal.SIGKILL)
        assert writer.wait() == -signal.SIGKILL

    transfers = count_topic(durable_env, get_topic(Account.Debited))
    credits = count_topic(durable_env, get_topic(Account.Credited))
    balance, _ = expected_ledger(durable_env)
    print(f"\n{durable_env['PERSISTENCE_MODULE']}: {KILL_POINTS} writer kills, {transfers} transfers recorded")
    assert transfers >= KILL_POINTS
    assert credits == 4 + transfers, "every transfer's debit has its credit: both or neither"
    assert balance == 4 * OPENING_DEPOSIT
    run_ledger(env=durable_env, until_idle=True)
    assert ledger_figures(durable_env) == expected_ledger(durable_env)


def withdraw_all_at_once(env: dict[str, str], workers: int = 4) -> tuple[int, int]:
    """`workers` threads, each with its own service, withdraw 10.00 at a time
    from one account (100.00, overdraft limit 50.00) until refused. Return
    (withdrawals, conflicts)."""
    accounts = AccountService(env=env)
    account_id = accounts.open_account("Shared", overdraft_limit=Decimal("50.00"))
    accounts.deposit(account_id, Decimal("100.00"))
    shared_store = env["PERSISTENCE_MODULE"] == "eventsourcing.popo"  # memory: one store, one service
    services = [accounts if shared_store else AccountService(env=env) for _ in range(workers)]
    start_together = threading.Barrier(workers, timeout=30)
    results: list[tuple[int, int]] = []

    def worker(service: AccountService) -> None:
        withdrawals = conflicts = 0
        start_together.wait()
        while True:
            try:
                conflicts += retry_on_conflict(service.withdraw, account_id, Decimal("10.00"))
            except InsufficientFundsError:
                break
            withdrawals += 1
        results.append((withdrawals, conflicts))

    threads = [threading.Thread(target=worker, args=(service,)) for service in services]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    account = accounts.get_account(account_id)
    assert account.balance == Decimal("-50.00"), "exactly down to the overdraft limit, never past it"
    debits = [e for e in accounts.events.get(account_id) if isinstance(e, Account.Debited)]
    assert account.version == 2 + len(debits), "nothing partial: one event per accepted withdrawal"
    assert len(results) == workers, "every worker finished"
    for service in {id(s): s for s in services}.values():
        service.close()
    return sum(w for w, _ in results), sum(c for _, c in results)


def test_concurrent_withdrawals_never_pass_the_overdraft_limit(any_env):
    withdrawals, conflicts = withdraw_all_at_once(any_env)
    print(f"\n{any_env['PERSISTENCE_MODULE']}: 15 withdrawals accepted, {conflicts} conflicts retried")
    assert withdrawals == 15


def test_the_loser_of_a_race_gets_an_integrity_error_and_records_nothing(any_env):
    accounts = AccountService(env=any_env)
    other_writer = AccountService(env=any_env) if any_env["PERSISTENCE_MODULE"] != "eventsourcing.popo" else accounts
    account_id = accounts.open_account("Shared")
    accounts.deposit(account_id, Decimal("30.00"))
    mine, theirs = accounts.get_account(account_id), other_writer.get_account(account_id)
    theirs.debit(Decimal("20.00"))
    other_writer.save(theirs)  # they win
    mine.debit(Decimal("20.00"))  # allowed by the stale balance of 30.00...
    with pytest.raises(IntegrityError):
        accounts.save(mine)  # ...but refused: version 3 is taken
    assert accounts.get_balance(account_id) == Decimal("10.00")
    assert accounts.get_account(account_id).version == 3


def restart_figures(bank: EventSourcedBank) -> tuple:
    ids = bank.accounts.list_accounts()
    return (
        ids,
        [bank.accounts.get_balance(i) for i in ids],
        [[s.originator_version for s in bank.accounts.snapshots.get(i)] for i in ids],
        bank.ledger.get_balance(),
        bank.ledger.get_transaction_count(),
    )


def record_some_history(bank: EventSourcedBank) -> None:
    alice, bob = (bank.accounts.open_account(name) for name in ("Alice", "Bob"))
    for _ in range(60):
        bank.accounts.deposit(alice, Decimal("2.00"))
    bank.accounts.transfer(alice, bob, Decimal("25.00"))


EXPECTED_AFTER_HISTORY = ([Decimal("95.00"), Decimal("25.00")], [[50], []], Decimal("120.00"), 62)


def test_restart_gives_back_accounts_ledger_and_snapshots(durable_env):
    with EventSourcedBank(durable_env) as bank:
        record_some_history(bank)
        before = restart_figures(bank)
    with EventSourcedBank(durable_env) as bank:
        assert restart_figures(bank) == before
    assert before[1:] == EXPECTED_AFTER_HISTORY


def test_restarting_the_embedded_server_on_its_folder_keeps_everything(tmp_path):
    with embedded_postgres(tmp_path) as url, EventSourcedBank(persistence_env("postgres", url)) as bank:
        record_some_history(bank)
        before = restart_figures(bank)
    with embedded_postgres(tmp_path) as url, EventSourcedBank(persistence_env("postgres", url)) as bank:
        assert restart_figures(bank) == before
    assert before[1:] == EXPECTED_AFTER_HISTORY


def test_services_started_at_the_same_moment_all_open(postgres_env):
    # Each creates the tables if missing; PostgreSQL refuses concurrent DDL
    # now and then, and the safe service tries again.
    start_together = threading.Barrier(4, timeout=30)
    opened = []

    def open_one() -> None:
        start_together.wait()
        opened.append(safe(LedgerService)(postgres_env))

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(opened) == 4
    for service in opened:
        service.close()
