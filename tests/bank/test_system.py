"""EventSourcedBank: the library's System, run by a library runner."""

import sqlite3
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import OperationalError
from eventsourcing.system import (
    EventProcessingError,
    MultiThreadedRunner,
    NewMultiThreadedRunner,
    NewSingleThreadedRunner,
    SingleThreadedRunner,
)

from bank import (
    AccountService,
    BankError,
    BankStoppedError,
    EventSourcedBank,
    Ledger,
    LedgerService,
    LostEventsError,
    TransactionLogService,
)

RUNNERS = [SingleThreadedRunner, MultiThreadedRunner]


@pytest.mark.parametrize("runner_class", RUNNERS, ids=lambda cls: cls.__name__)
def test_the_services_are_the_banks_own_classes(runner_class):
    with EventSourcedBank(runner_class=runner_class) as bank:
        assert type(bank.accounts) is AccountService
        assert type(bank.ledger) is LedgerService
        assert type(bank.transactions) is TransactionLogService
        assert type(bank.runner) is runner_class


@pytest.mark.parametrize("runner_class", [NewSingleThreadedRunner, NewMultiThreadedRunner], ids=lambda c: c.__name__)
def test_the_new_runners_are_refused_with_the_reason(runner_class):
    with pytest.raises(
        ValueError, match=f"runs on SingleThreadedRunner or MultiThreadedRunner, not {runner_class.__name__}"
    ):
        EventSourcedBank(runner_class=runner_class)


@pytest.mark.parametrize("runner_class", RUNNERS, ids=lambda cls: cls.__name__)
def test_ledger_and_log_follow_the_accounts(runner_class):
    with EventSourcedBank(runner_class=runner_class) as bank:
        alice = bank.accounts.open_account("Alice")
        bob = bank.accounts.open_account("Bob", overdraft_limit=Decimal("20"))
        for _ in range(60):
            bank.accounts.deposit(alice, Decimal("2.00"))
        bank.accounts.transfer(alice, bob, Decimal("30.00"))
        bank.accounts.withdraw(bob, Decimal("45.00"))
        bank.wait_for_ledger()
        assert bank.ledger.get_balance() == Decimal("75.00")
        assert bank.ledger.get_balance() == bank.accounts.get_balance(alice) + bank.accounts.get_balance(bob)
        assert bank.ledger.get_transaction_count() == 63
        assert len(bank.transactions.get_transactions()) == 2 + 63


def test_ledger_is_zero_before_anything_happened(bank):
    assert bank.ledger.get_balance() == Decimal("0.00")
    assert bank.ledger.get_transaction_count() == 0


def test_single_threaded_runner_processes_before_the_command_returns(bank):
    alice = bank.accounts.open_account("Alice")
    bank.accounts.deposit(alice, Decimal("5"))
    for follower in (bank.ledger, bank.transactions):
        assert follower.recorder.max_tracking_id("AccountService") == bank.accounts.recorder.max_notification_id()
    assert bank.ledger.get_balance() == Decimal("5.00")


def test_ledger_snapshots_every_50_transactions(bank):
    alice = bank.accounts.open_account("Alice")
    for _ in range(100):
        bank.accounts.deposit(alice, Decimal("1"))
    ledger_id = Ledger.create_id(LedgerService.LEDGER_NAME)
    versions = [s.originator_version for s in bank.ledger.snapshots.get(ledger_id)]
    assert versions == [50, 100]  # version 1 is the ledger's Opened event


def test_a_bank_that_was_not_started_processes_nothing():
    bank = EventSourcedBank()
    alice = bank.accounts.open_account("Alice")
    bank.accounts.deposit(alice, Decimal("1"))
    with pytest.raises(TimeoutError, match="Timed out waiting for notification 2"):
        bank.wait_for_ledger(timeout=0.05)
    assert bank.ledger.get_transaction_count() == 0


@pytest.mark.parametrize("runner_class", RUNNERS, ids=lambda cls: cls.__name__)
def test_followers_catch_up_on_start_with_what_was_recorded_while_they_were_down(sqlite_env, runner_class):
    accounts = AccountService(env=sqlite_env)
    alice = accounts.open_account("Alice")
    for _ in range(7):
        accounts.deposit(alice, Decimal("3"))
    accounts.close()
    with EventSourcedBank(sqlite_env, runner_class=runner_class) as bank:
        bank.wait_for_ledger(timeout=0)  # already: start() caught up
        assert bank.ledger.get_balance() == Decimal("21.00")
        assert bank.ledger.get_transaction_count() == 7
        assert len(bank.transactions.get_transactions()) == 8


def test_restart_on_sqlite_keeps_accounts_ledger_and_snapshots(sqlite_env):
    def figures(bank):
        ids = bank.accounts.list_accounts()
        return (
            ids,
            [bank.accounts.get_balance(i) for i in ids],
            bank.ledger.get_balance(),
            bank.ledger.get_transaction_count(),
            [s.originator_version for s in bank.accounts.snapshots.get(ids[0])],
        )

    with EventSourcedBank(sqlite_env) as bank:
        ids = [bank.accounts.open_account(name) for name in ("Alice", "Bob")]
        for _ in range(55):
            bank.accounts.deposit(ids[0], Decimal("1"))
        bank.accounts.transfer(ids[0], ids[1], Decimal("5"))
        before = figures(bank)
    with EventSourcedBank(sqlite_env) as bank:
        assert figures(bank) == before
    assert before[2:] == (Decimal("55.00"), 57, [50])


def test_each_service_has_its_own_sqlite_database(sqlite_env, tmp_path):
    with EventSourcedBank(sqlite_env) as bank:
        bank.accounts.open_account("Alice")
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == [
        "accountservice.sqlite",
        "ledgerservice.sqlite",
        "transactionlogservice.sqlite",
    ]


def locked(database: str) -> sqlite3.Connection:
    """Another program holding a write lock on an SQLite database."""
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    return connection


@pytest.fixture
def locking_env(sqlite_env):
    return sqlite_env | {"SQLITE_LOCK_TIMEOUT": "1"}  # a second, not ten, before "database is locked"


def deposit_while_locked(bank: EventSourcedBank, follower: str) -> UUID:
    """Open an account, and deposit 5.00 while another program locks a
    follower's database: the deposit is recorded, then the follower fails
    in the command's thread, and the command raises."""
    alice = bank.accounts.open_account("Alice")
    other_program = locked(bank.runner.env[f"{follower.upper()}_SQLITE_DBNAME"])
    with pytest.raises(OperationalError, match="database is locked"):
        bank.accounts.deposit(alice, Decimal("5.00"))
    assert bank.accounts.get_balance(alice) == Decimal("5.00"), "recorded"
    other_program.rollback()
    return alice


def test_with_the_single_threaded_runner_a_follower_failure_reaches_the_caller_after_recording(locking_env):
    with EventSourcedBank(locking_env) as bank:
        alice = deposit_while_locked(bank, "LedgerService")
        assert bank.ledger.get_transaction_count() == 0
        bank.accounts.deposit(alice, Decimal("1.00"))  # the next command: the ledger catches up
        assert bank.ledger.get_transaction_count() == 2
        assert bank.ledger.get_balance() == Decimal("6.00")
        assert len(bank.transactions.get_transactions()) == 3


def test_a_follower_that_failed_catches_up_at_the_next_start(locking_env):
    with EventSourcedBank(locking_env) as bank:
        deposit_while_locked(bank, "TransactionLogService")
        assert len(bank.transactions.get_transactions()) == 1
    with EventSourcedBank(locking_env) as bank:
        assert len(bank.transactions.get_transactions()) == 2
        assert bank.ledger.get_balance() == Decimal("5.00")


def test_wait_for_ledger_catches_up_a_follower_that_failed(locking_env):
    with EventSourcedBank(locking_env) as bank:
        deposit_while_locked(bank, "LedgerService")
        bank.wait_for_ledger(timeout=0)
        assert bank.ledger.get_balance() == Decimal("5.00")


def test_wait_for_ledger_waits_for_what_was_recorded_before_it_was_called(sqlite_env):
    # Another process records an event while the followers catch up: the wait
    # is for what was recorded before the call, so it ends at once.
    with EventSourcedBank(sqlite_env) as bank:
        alice = bank.accounts.open_account("Alice")
        bank.accounts.deposit(alice, Decimal("5.00"))
        other_process = AccountService(env=sqlite_env)
        catch_up = bank.ledger.pull_and_process

        def catch_up_while_another_process_records(*args, **kwargs):
            catch_up(*args, **kwargs)
            other_process.open_account("Bob")

        bank.ledger.pull_and_process = catch_up_while_another_process_records
        bank.wait_for_ledger(timeout=1)
        assert bank.ledger.recorder.max_tracking_id("AccountService") == 2
        other_process.close()


def test_with_the_multi_threaded_runner_wait_for_ledger_raises_the_followers_error(locking_env):
    env = locking_env
    bank = EventSourcedBank(env, runner_class=MultiThreadedRunner)
    bank.start()
    alice = bank.accounts.open_account("Alice")
    other_program = locked(env["LEDGERSERVICE_SQLITE_DBNAME"])
    bank.accounts.deposit(alice, Decimal("5.00"))  # recorded: the followers process it in their threads
    with pytest.raises(EventProcessingError, match="database is locked"):
        bank.wait_for_ledger(timeout=30)
    other_program.rollback()
    with pytest.raises(EventProcessingError):
        bank.stop()
    with EventSourcedBank(env, runner_class=MultiThreadedRunner) as restarted:
        assert restarted.ledger.get_balance() == Decimal("5.00")


@pytest.mark.parametrize("runner_class", RUNNERS, ids=lambda cls: cls.__name__)
def test_after_stop_every_command_raises_and_records_nothing(any_env, runner_class):
    bank = EventSourcedBank(any_env, runner_class=runner_class)
    with bank:
        alice = bank.accounts.open_account("Alice")
        recorded = bank.accounts.recorder.max_notification_id()
    for command, args in [
        (bank.accounts.deposit, (alice, Decimal("5.00"))),
        (bank.accounts.open_account, ("Bob",)),
        (bank.accounts.get_balance, (alice,)),
        (bank.wait_for_ledger, ()),
    ]:
        with pytest.raises(BankStoppedError, match="AccountService is closed: nothing was read or recorded"):
            command(*args)
    if any_env["PERSISTENCE_MODULE"] == "eventsourcing.popo":  # the events live in this bank's memory
        assert bank.accounts.recorder.max_notification_id() == recorded
    else:
        with EventSourcedBank(any_env, runner_class=runner_class) as restarted:
            assert restarted.accounts.recorder.max_notification_id() == recorded


def test_starting_again_changes_nothing(bank):
    alice = bank.accounts.open_account("Alice")
    bank.start()
    bank.accounts.deposit(alice, Decimal("1.00"))
    assert bank.ledger.get_transaction_count() == 1


def test_a_stopped_bank_stays_stopped(bank):
    bank.stop()
    bank.stop()  # again: nothing happens
    with pytest.raises(BankStoppedError, match="a stopped bank stays stopped"):
        bank.start()


@pytest.mark.parametrize("loss", ["deleted", "emptied"])
def test_a_lost_accounts_database_stops_the_bank_from_starting(sqlite_env, loss):
    with EventSourcedBank(sqlite_env) as bank:
        alice = bank.accounts.open_account("Alice")
        for _ in range(3):
            bank.accounts.deposit(alice, Decimal("10.00"))
    database = Path(sqlite_env["ACCOUNTSERVICE_SQLITE_DBNAME"])
    if loss == "deleted":
        database.unlink()
    else:
        database.write_bytes(b"")
    bank = EventSourcedBank(sqlite_env)
    with pytest.raises(LostEventsError, match="LedgerService has processed AccountService's events up to 4, but"):
        bank.start()
    assert isinstance(LostEventsError("x"), BankError)
