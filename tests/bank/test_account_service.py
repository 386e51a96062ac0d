"""AccountService: commands, queries, transfers, history and snapshots."""

from decimal import Decimal
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from bank import (
    AccountClosedError,
    AccountNotFoundError,
    AccountService,
    BalanceNotZeroError,
    InsufficientFundsError,
    InvalidAmountError,
    SameAccountTransferError,
)


def stored_event_count(accounts: AccountService) -> int:
    return accounts.recorder.max_notification_id() or 0


def test_open_deposit_withdraw(funded):
    accounts, alice, _ = funded
    accounts.withdraw(alice, Decimal("30.00"))
    assert accounts.get_balance(alice) == Decimal("70.00")
    assert accounts.get_account(alice).owner == "Alice"


def test_refused_commands_record_nothing(funded):
    accounts, alice, _ = funded
    before = stored_event_count(accounts)
    for command in (
        lambda: accounts.withdraw(alice, Decimal("100.01")),
        lambda: accounts.deposit(alice, 0.5),
        lambda: accounts.deposit(alice, Decimal("0.001")),
        lambda: accounts.set_overdraft_limit(alice, Decimal("-1")),
        lambda: accounts.close_account(alice),
    ):
        with pytest.raises((InsufficientFundsError, InvalidAmountError, BalanceNotZeroError)):
            command()
    assert stored_event_count(accounts) == before
    assert accounts.get_balance(alice) == Decimal("100.00")


def test_unknown_account_is_a_clear_error(accounts):
    missing = uuid4()
    with pytest.raises(AccountNotFoundError, match=str(missing)) as raised:
        accounts.deposit(missing, Decimal("1"))
    assert isinstance(raised.value, KeyError)
    assert str(raised.value) == f"no account with id {missing}"


def test_transfer_moves_money_in_one_atomic_recording(funded):
    accounts, alice, bob = funded
    before = stored_event_count(accounts)
    recordings = []
    original_save = accounts.save
    accounts.save = lambda *objs: recordings.append(len(objs)) or original_save(*objs)
    accounts.transfer(alice, bob, Decimal("40.00"))
    assert recordings == [2]  # one save() call, with both accounts
    assert stored_event_count(accounts) == before + 2
    assert (accounts.get_balance(alice), accounts.get_balance(bob)) == (Decimal("60.00"), Decimal("40.00"))


def test_transfer_may_use_the_overdraft(funded):
    accounts, alice, bob = funded
    accounts.transfer(bob, alice, Decimal("50.00"))
    assert accounts.get_balance(bob) == Decimal("-50.00")


@pytest.mark.parametrize(
    ("amount", "error"),
    [(Decimal("150.01"), InsufficientFundsError), (Decimal("-1"), InvalidAmountError), (1.0, InvalidAmountError)],
)
def test_refused_transfer_changes_neither_account(funded, amount, error):
    accounts, alice, bob = funded
    before = stored_event_count(accounts)
    with pytest.raises(error):
        accounts.transfer(alice, bob, amount)
    assert stored_event_count(accounts) == before
    assert (accounts.get_balance(alice), accounts.get_balance(bob)) == (Decimal("100.00"), Decimal("0.00"))


def test_transfer_to_a_closed_account_changes_neither(funded):
    accounts, alice, _ = funded
    carol = accounts.open_account("Carol")
    accounts.close_account(carol)
    before = stored_event_count(accounts)
    with pytest.raises(AccountClosedError):
        accounts.transfer(alice, carol, Decimal("10"))
    assert stored_event_count(accounts) == before
    assert accounts.get_balance(alice) == Decimal("100.00")


def test_transfer_to_the_same_account_is_refused(funded):
    accounts, alice, _ = funded
    with pytest.raises(SameAccountTransferError):
        accounts.transfer(alice, alice, Decimal("1"))


def test_transfer_to_an_unknown_account_is_refused(funded):
    accounts, alice, _ = funded
    with pytest.raises(AccountNotFoundError):
        accounts.transfer(alice, uuid4(), Decimal("1"))
    assert accounts.get_balance(alice) == Decimal("100.00")


def test_closing_an_empty_account_then_it_refuses_commands(funded):
    accounts, alice, _ = funded
    accounts.withdraw(alice, Decimal("100.00"))
    accounts.close_account(alice)
    assert accounts.get_account(alice).is_closed
    with pytest.raises(AccountClosedError):
        accounts.deposit(alice, Decimal("1"))


def test_overdraft_limit_is_set_through_the_service(funded):
    accounts, alice, _ = funded
    accounts.set_overdraft_limit(alice, Decimal("25"))
    accounts.withdraw(alice, Decimal("125.00"))
    assert accounts.get_balance(alice) == Decimal("-25.00")


def test_list_accounts_in_opening_order(accounts):
    ids = [accounts.open_account(f"Owner {n}") for n in range(5)]
    accounts.deposit(ids[2], Decimal("1"))
    assert accounts.list_accounts() == ids


def test_list_accounts_pages_through_many(accounts):
    ids = [accounts.open_account(f"Owner {n}") for n in range(accounts.log_section_size * 2 + 5)]
    assert accounts.list_accounts() == ids


def test_list_accounts_and_balances_survive_a_restart_on_sqlite(sqlite_env):
    first = AccountService(env=sqlite_env)
    ids = [first.open_account(name) for name in ("Alice", "Bob", "Carol")]
    first.deposit(ids[1], Decimal("12.34"))
    first.close()
    second = AccountService(env=sqlite_env)
    assert second.list_accounts() == ids
    assert second.get_balance(ids[1]) == Decimal("12.34")
    second.close()


def test_historical_state_by_version(funded):
    accounts, alice, _ = funded
    accounts.withdraw(alice, Decimal("30"))
    assert accounts.get_account(alice, version=1).balance == Decimal("0.00")
    assert accounts.get_account(alice, version=2).balance == Decimal("100.00")
    assert accounts.get_account(alice, version=3).balance == Decimal("70.00")
    assert accounts.repository.get(alice, version=2).version == 2


@pytest.mark.parametrize("version", [0, 4, 99, -1, 10**20, True, "2", 2.0])
def test_a_version_the_account_does_not_have_is_refused(funded, version):
    accounts, alice, _ = funded  # Alice has versions 1 and 2
    with pytest.raises(AccountNotFoundError, match=f"has versions 1 to 2, not {version!r}"):
        accounts.get_account(alice, version=version)


def test_a_huge_version_is_refused_on_sqlite_too(sqlite_env):
    accounts = AccountService(env=sqlite_env)
    alice = accounts.open_account("Alice")
    with pytest.raises(AccountNotFoundError, match="has versions 1 to 1"):
        accounts.get_account(alice, version=10**20)
    accounts.close()


def test_snapshot_is_taken_every_50_events(accounts):
    alice = accounts.open_account("Alice")
    for _ in range(119):
        accounts.deposit(alice, Decimal("1"))
    versions = [s.originator_version for s in accounts.snapshots.get(alice)]
    assert versions == [50, 100]


def test_repository_get_starts_from_the_latest_snapshot(sqlite_env):
    writer = AccountService(env=sqlite_env)
    alice = writer.open_account("Alice")
    for _ in range(119):
        writer.deposit(alice, Decimal("1"))
    writer.close()
    accounts = AccountService(env=sqlite_env)  # as after a restart: nothing cached
    read = []
    original_get = accounts.events.get

    def spying_get(originator_id, **kwargs):
        events = list(original_get(originator_id, **kwargs))
        read.append((kwargs.get("gt"), len(events)))
        return events

    accounts.events.get = spying_get
    account = accounts.repository.get(alice)
    assert account.version == 120
    assert account.balance == Decimal("119.00")
    assert read == [(100, 20)]  # only the 20 events after snapshot 100 were replayed
    accounts.close()


def test_services_cache_aggregates_and_bring_them_up_to_date(sqlite_env):
    first = AccountService(env=sqlite_env)
    second = AccountService(env=sqlite_env)  # another process, say
    alice = first.open_account("Alice")
    assert first.repository.cache is not None
    assert first.repository.fastforward
    first.deposit(alice, Decimal("5"))
    assert second.get_balance(alice) == Decimal("5.00")
    second.deposit(alice, Decimal("7"))
    assert first.get_balance(alice) == Decimal("12.00")  # the cached copy caught up
    first.close()
    second.close()


def test_two_handles_changing_one_account_conflict(funded):
    accounts, alice, _ = funded
    first = accounts.get_account(alice)
    second = accounts.get_account(alice)
    first.debit(Decimal("60"))
    second.debit(Decimal("60"))
    accounts.save(first)
    with pytest.raises(IntegrityError):
        accounts.save(second)
    assert accounts.get_balance(alice) == Decimal("40.00")
