"""Several processes, the library's way (chapter 07): writers run the account
service alone, each follower runs once, in a process of its own. Kills of any
of them lose nothing and count nothing twice, on both backends that can be
shared (SQLite, PostgreSQL). Also: races between writers, and restarts.

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

from bank import (
    Account,
    AccountService,
    EventSourcedBank,
    InsufficientFundsError,
    LedgerService,
    TransactionLogService,
    persistence_env,
)
from bank.variants.scaling_out import READY, retry_on_conflict
from course.postgres import embedded_postgres

KILL_POINTS = 12
OPENING_DEPOSIT = Decimal("1000.00")
FOLLOWERS = {"ledger": LedgerService, "log": TransactionLogService}


STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def nothing_left_running():
    """Whatever a test started and did not end, even when it failed, is killed."""
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
        process.wait()


def start(command: str, env: dict[str, str], *args: str) -> subprocess.Popen:
    """`python -m bank.scaling_out COMMAND ...` configured by `env`, once it has said it is ready."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bank.scaling_out", command, *args],
        env=os.environ | env,
        stdout=subprocess.PIPE,
        text=True,
    )
    STARTED.append(process)
    assert process.stdout.readline().strip() == READY
    return process


def open_accounts(env: dict[str, str], count: int = 4) -> None:
    accounts = AccountService(env=env)
    for n in range(count):
        accounts.deposit(accounts.open_account(f"Owner {n}"), OPENING_DEPOSIT)
    accounts.close()


def read(service_class, env: dict[str, str], query):
    service = service_class(env=env)
    try:
        return query(service)
    finally:
        service.close()


def recorded(env: dict[str, str]) -> int:
    return read(AccountService, env, lambda accounts: accounts.recorder.max_notification_id() or 0)


def position(follower: str, env: dict[str, str]) -> int:
    return read(FOLLOWERS[follower], env, lambda service: service.recorder.max_tracking_id(AccountService.name) or 0)


def count_topics(env: dict[str, str], *classes: type) -> int:
    topics = [get_topic(cls) for cls in classes]
    return read(AccountService, env, lambda a: len(a.recorder.select_notifications(None, 10**6, topics=topics)))


def expected_ledger(env: dict[str, str]) -> tuple[Decimal, int]:
    """What the ledger must say, from the account service's side alone: the
    sum of the balances, and the number of credits and debits recorded."""
    balance = read(AccountService, env, lambda a: sum(a.get_balance(i) for i in a.list_accounts()))
    return balance, count_topics(env, Account.Credited, Account.Debited)


def ledger_figures(env: dict[str, str]) -> tuple[Decimal, int]:
    return read(LedgerService, env, lambda ledger: (ledger.get_balance(), ledger.get_transaction_count()))


def wait_until(condition, what: str, timeout: float = 120) -> None:
    """Wait for a signal from the database (checked every few milliseconds);
    the timeout is only a safety net."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.005)


def catch_up(follower: str, env: dict[str, str]) -> None:
    """Run the follower until it has processed everything recorded, then stop it cleanly."""
    process = start(follower, env)
    wait_until(lambda: position(follower, env) == recorded(env), f"the {follower} to catch up")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)  # a crash: no clean-up at all
    assert process.wait(timeout=60) == -signal.SIGKILL


def test_ledger_killed_at_random_points_ends_with_exactly_the_right_balance_and_count(durable_env):
    open_accounts(durable_env)
    writer = start("writer", durable_env, "--transfers", "100000", "--seed", "1")
    rng = Random(42)
    positions = []
    try:
        for _ in range(KILL_POINTS):
            ledger = start("ledger", durable_env)
            target = position("ledger", durable_env) + rng.randint(1, 40)
            wait_until(lambda: position("ledger", durable_env) >= target, "the ledger to make progress")  # noqa: B023
            kill(ledger)
            assert writer.poll() is None, "the accounts kept changing during every kill"
            positions.append(position("ledger", durable_env))
    finally:
        kill(writer)
    catch_up("ledger", durable_env)
    balance, count = ledger_figures(durable_env)
    print(f"\n{durable_env['PERSISTENCE_MODULE']}: {KILL_POINTS} kill points survived, ledger positions {positions}")
    assert (balance, count) == expected_ledger(durable_env)
    assert balance == 4 * OPENING_DEPOSIT  # transfers move money, they do not make it
    assert positions == sorted(positions), "progress is never lost"
    assert positions[-1] > positions[0], "the ledger made progress between the kills"


def test_a_writer_killed_mid_stream_records_no_half_transfer(durable_env):
    open_accounts(durable_env)
    rng = Random(7)
    for seed in range(KILL_POINTS):
        writer = start("writer", durable_env, "--transfers", "100000", "--seed", str(seed))
        target = recorded(durable_env) + rng.randint(2, 60)
        wait_until(lambda: recorded(durable_env) >= target, "the writer to record transfers")  # noqa: B023
        kill(writer)
    debits = count_topics(durable_env, Account.Debited)
    credits = count_topics(durable_env, Account.Credited)
    balance, _ = expected_ledger(durable_env)
    print(f"\n{durable_env['PERSISTENCE_MODULE']}: {KILL_POINTS} writer kills, {debits} transfers recorded")
    assert debits >= KILL_POINTS
    assert credits == 4 + debits, "every transfer's debit has its credit: both or neither"
    assert balance == 4 * OPENING_DEPOSIT


def test_two_writers_and_one_process_per_follower_with_kills_leave_ledger_and_log_exact(durable_env):
    open_accounts(durable_env)
    writers = [start("writer", durable_env, "--transfers", "100000", "--seed", str(seed)) for seed in (1, 2)]
    followers = {name: start(name, durable_env) for name in FOLLOWERS}
    rng = Random(3)
    killed = []
    try:
        for _ in range(KILL_POINTS):
            victim = rng.choice(["writer 1", "writer 2", "ledger", "log"])
            target = recorded(durable_env) + rng.randint(5, 40)
            wait_until(lambda: recorded(durable_env) >= target, "the writers to record more")  # noqa: B023
            if victim.startswith("writer"):
                index = int(victim[-1]) - 1
                kill(writers[index])
                writers[index] = start("writer", durable_env, "--transfers", "100000", "--seed", str(10 + len(killed)))
            else:
                kill(followers[victim])
                followers[victim] = start(victim, durable_env)
            killed.append(victim)
    finally:
        for process in [*writers, *followers.values()]:
            kill(process)
    for name in FOLLOWERS:
        catch_up(name, durable_env)
    print(f"\n{durable_env['PERSISTENCE_MODULE']}: killed {killed}, {recorded(durable_env)} events recorded")
    assert ledger_figures(durable_env) == expected_ledger(durable_env)
    assert ledger_figures(durable_env)[0] == 4 * OPENING_DEPOSIT
    entries = read(TransactionLogService, durable_env, lambda log: log.get_transactions())
    assert [(e.account_id, e.account_version) for e in entries] == read(
        AccountService,
        durable_env,
        lambda a: [(n.originator_id, n.originator_version) for n in a.recorder.select_notifications(None, 10**6)],
    ), "the log has every account event once, in the order recorded"


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


def test_the_loser_of_a_race_gets_an_integrity_error_and_records_nothing(durable_env):
    accounts, other_writer = AccountService(env=durable_env), AccountService(env=durable_env)
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
