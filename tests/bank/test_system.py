"""EventSourcedBank: the ledger follows the accounts on every runner."""

from decimal import Decimal

import pytest
from eventsourcing.system import (
    MultiThreadedRunner,
    NewMultiThreadedRunner,
    NewSingleThreadedRunner,
    SingleThreadedRunner,
)

from bank import AccountService, EventSourcedBank, Ledger, LedgerService
from bank.lag import wait_until_processed

RUNNERS = [SingleThreadedRunner, NewSingleThreadedRunner, MultiThreadedRunner, NewMultiThreadedRunner]


@pytest.mark.parametrize("runner_class", RUNNERS, ids=lambda cls: cls.__name__)
def test_ledger_follows_the_accounts(runner_class):
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


def burst_with_a_stalled_pulling_thread(bank: EventSourcedBank):
    """Open an account and make 150 deposits while NewMultiThreadedRunner's
    pulling thread is held at its next hand-over (it needs the converting
    queue's lock), so prompts pile up as in a fast burst.
    Returns the account and the pulling thread."""
    thread = next(t for t in bank.runner.pulling_threads[bank.accounts.name] if t.follower is bank.ledger)
    alice = bank.accounts.open_account("Alice")
    with thread.converting_queue.mutex:
        for _ in range(150):
            bank.accounts.deposit(alice, Decimal("1"))
    return alice, thread


def test_new_multi_threaded_runner_drops_prompts_when_its_queue_is_full():
    # The library's behaviour that EventSourcedBank.wait_for_ledger repairs:
    # prompts beyond its queue's 100 are dropped, so the end of a burst waits
    # for the next command.
    with EventSourcedBank(runner_class=NewMultiThreadedRunner) as bank:
        _, thread = burst_with_a_stalled_pulling_thread(bank)
        assert thread.overflow_event.is_set()
        with pytest.raises(TimeoutError):
            wait_until_processed(bank.accounts, bank.ledger, timeout=0.5)
        assert bank.ledger.get_transaction_count() < 150


def test_wait_for_ledger_prompts_again_when_prompts_were_dropped():
    with EventSourcedBank(runner_class=NewMultiThreadedRunner) as bank:
        alice, thread = burst_with_a_stalled_pulling_thread(bank)
        bank.wait_for_ledger(timeout=5)
        assert bank.ledger.get_transaction_count() == 150
        assert bank.ledger.get_balance() == Decimal("150.00")
        assert not thread.overflow_event.is_set()
        # Later prompts are handled as usual: nothing is processed twice.
        bank.accounts.deposit(alice, Decimal("1"))
        bank.wait_for_ledger(timeout=5)
        assert bank.ledger.get_transaction_count() == 151


def test_ledger_is_zero_before_anything_happened(bank):
    assert bank.ledger.get_balance() == Decimal("0.00")
    assert bank.ledger.get_transaction_count() == 0
    bank.accounts.open_account("Alice")
    assert bank.ledger_is_up_to_date()
    assert bank.ledger.get_transaction_count() == 0


def test_single_threaded_runner_processes_before_the_command_returns(bank):
    alice = bank.accounts.open_account("Alice")
    bank.accounts.deposit(alice, Decimal("5"))
    assert bank.ledger_is_up_to_date()
    assert bank.ledger.get_balance() == Decimal("5.00")


def test_ledger_snapshots_every_50_transactions(bank):
    alice = bank.accounts.open_account("Alice")
    for _ in range(100):
        bank.accounts.deposit(alice, Decimal("1"))
    ledger_id = Ledger.create_id(LedgerService.LEDGER_NAME)
    versions = [s.originator_version for s in bank.ledger.snapshots.get(ledger_id)]
    assert versions == [50, 100]  # version 1 is the ledger's Opened event


def test_wait_for_ledger_times_out_when_the_ledger_is_behind(sqlite_env):
    # Record an account event while no ledger runs, then ask a bank whose
    # ledger has not caught up (never started) to wait for it.
    accounts = AccountService(env=sqlite_env)
    alice = accounts.open_account("Alice")
    accounts.deposit(alice, Decimal("1"))
    accounts.close()
    bank = EventSourcedBank(sqlite_env)
    with pytest.raises(TimeoutError, match="did not catch up"):
        bank.wait_for_ledger(timeout=0.05)
    bank.runner.stop()


@pytest.mark.parametrize("runner_class", RUNNERS, ids=lambda cls: cls.__name__)
def test_ledger_catches_up_on_start_with_what_was_recorded_while_it_was_down(sqlite_env, runner_class):
    accounts = AccountService(env=sqlite_env)
    alice = accounts.open_account("Alice")
    for _ in range(7):
        accounts.deposit(alice, Decimal("3"))
    accounts.close()
    with EventSourcedBank(sqlite_env, runner_class=runner_class) as bank:
        bank.wait_for_ledger(timeout=5)
        assert bank.ledger.get_balance() == Decimal("21.00")
        assert bank.ledger.get_transaction_count() == 7


def test_restart_on_sqlite_keeps_accounts_ledger_and_snapshots(sqlite_env):
    with EventSourcedBank(sqlite_env) as bank:
        ids = [bank.accounts.open_account(name) for name in ("Alice", "Bob")]
        for _ in range(55):
            bank.accounts.deposit(ids[0], Decimal("1"))
        bank.accounts.transfer(ids[0], ids[1], Decimal("5"))
        before = (
            bank.accounts.list_accounts(),
            [bank.accounts.get_balance(i) for i in ids],
            bank.ledger.get_balance(),
            bank.ledger.get_transaction_count(),
            [s.originator_version for s in bank.accounts.snapshots.get(ids[0])],
        )
    with EventSourcedBank(sqlite_env) as bank:
        after = (
            bank.accounts.list_accounts(),
            [bank.accounts.get_balance(i) for i in ids],
            bank.ledger.get_balance(),
            bank.ledger.get_transaction_count(),
            [s.originator_version for s in bank.accounts.snapshots.get(ids[0])],
        )
    assert after == before
    assert before[2] == Decimal("55.00")
    assert before[4] == [50]


def test_each_service_has_its_own_sqlite_database(sqlite_env, tmp_path):
    with EventSourcedBank(sqlite_env) as bank:
        bank.accounts.open_account("Alice")
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == [
        "accountservice.sqlite",
        "ledgerservice.sqlite",
        "transactionlogservice.sqlite",
    ]
