"""SingleProcessBank: the same bank, tuned for one writer process."""

from decimal import Decimal

import pytest

from bank import AccountClosedError, AccountService, EventSourcedBank, Ledger, LedgerService
from bank.variants.single_process import SingleProcessAccountService, SingleProcessBank


def snapshots(service, aggregate_id):
    """(version, balance) of each snapshot stored for the aggregate."""
    return [(s.originator_version, s.mutate(None).balance) for s in service.snapshots.get(aggregate_id)]


def test_ledger_equals_the_sum_of_the_balances(sqlite_env):
    with SingleProcessBank(sqlite_env) as bank:
        alice = bank.accounts.open_account("Alice")
        bob = bank.accounts.open_account("Bob")
        for _ in range(60):
            bank.accounts.deposit(alice, Decimal("2.00"))
        bank.accounts.transfer(alice, bob, Decimal("30.00"))
        bank.accounts.withdraw(bob, Decimal("5.00"))
        bank.wait_for_ledger(timeout=0)  # already: the runner processes before the command returns
        assert bank.ledger.get_balance() == Decimal("115.00")
        assert bank.accounts.get_balance(alice) + bank.accounts.get_balance(bob) == Decimal("115.00")


def test_a_refused_transfer_leaves_the_cached_account_unchanged():
    with SingleProcessBank() as bank:
        alice = bank.accounts.open_account("Alice")
        bob = bank.accounts.open_account("Bob")
        bank.accounts.deposit(alice, Decimal("10.00"))
        bank.accounts.close_account(bob)
        with pytest.raises(AccountClosedError):
            bank.accounts.transfer(alice, bob, Decimal("4.00"))  # the debit works, the credit is refused
        assert bank.accounts.get_balance(alice) == Decimal("10.00")


def test_snapshots_taken_from_the_cache_equal_the_librarys(sqlite_env):
    ledger_id = Ledger.create_id(LedgerService.LEDGER_NAME)
    taken = {}
    for name, bank_class, env in (("fast", SingleProcessBank, sqlite_env), ("plain", EventSourcedBank, {})):
        with bank_class(env) as bank:
            alice = bank.accounts.open_account("Alice")
            for _ in range(119):
                bank.accounts.deposit(alice, Decimal("1"))
            taken[name] = snapshots(bank.accounts, alice), snapshots(bank.ledger, ledger_id)
    assert taken["fast"] == taken["plain"]
    assert taken["fast"] == (
        [(50, Decimal("49.00")), (100, Decimal("99.00"))],
        [(50, Decimal("49.00")), (100, Decimal("99.00"))],  # the ledger's version 1 is its Opened event
    )


def test_snapshots_come_from_the_library_when_the_cache_may_be_stale():
    # With fast-forward on (the default), the cache may hold an older
    # version, so the snapshot is read back from the events as usual.
    service = SingleProcessAccountService(env={"AGGREGATE_CACHE_MAXSIZE": "10"})
    alice = service.open_account("Alice")
    for _ in range(50):
        service.deposit(alice, Decimal("1"))
    snapshot = next(iter(service.snapshots.get(alice)))
    assert snapshot.originator_version == 50
    assert snapshot.mutate(None).balance == Decimal("49.00")


def test_a_restarted_single_process_bank_catches_up(sqlite_env):
    accounts = AccountService(env=sqlite_env)
    alice = accounts.open_account("Alice")
    for _ in range(3):
        accounts.deposit(alice, Decimal("7"))
    accounts.close()
    with SingleProcessBank(sqlite_env) as bank:
        bank.accounts.deposit(alice, Decimal("1"))
        bank.wait_for_ledger(timeout=5)
        assert bank.ledger.get_balance() == Decimal("22.00")


def test_its_transaction_log_counts_positions_on_across_a_restart(sqlite_env):
    with SingleProcessBank(sqlite_env) as bank:
        alice = bank.accounts.open_account("Alice")
        bank.accounts.deposit(alice, Decimal("5.00"))
    with SingleProcessBank(sqlite_env) as bank:
        bank.accounts.withdraw(alice, Decimal("2.00"))
        entries = bank.transactions.get_transactions()
    assert [(e.originator_version, e.kind) for e in entries] == [(1, "opened"), (2, "credited"), (3, "debited")]
