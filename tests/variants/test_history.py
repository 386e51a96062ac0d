"""Looking back: an account at a past time, and its history as a table."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from bank import Account, AccountNotFoundError
from bank.transaction_log import TransactionLogService
from bank.variants.history import account_at, account_history, version_at


def timestamps(accounts, account_id):
    return [event.timestamp for event in accounts.events.get(account_id)]


def test_the_version_at_a_time_is_that_of_the_last_event_recorded_by_then(funded):
    accounts, alice, _ = funded
    accounts.withdraw(alice, Decimal("30.00"))
    opened, credited, debited = timestamps(accounts, alice)
    assert version_at(accounts, alice, opened) == 1
    assert version_at(accounts, alice, credited + (debited - credited) / 2) == 2
    assert version_at(accounts, alice, debited + timedelta(days=1)) == 3


def test_the_account_at_a_time_has_the_balance_it_had_then(funded):
    accounts, alice, _ = funded
    accounts.withdraw(alice, Decimal("30.00"))
    _, credited, _ = timestamps(accounts, alice)
    assert account_at(accounts, alice, credited).balance == Decimal("100.00")
    assert accounts.get_balance(alice) == Decimal("70.00")


def test_an_event_is_stamped_when_it_is_triggered_not_when_it_is_saved(accounts):
    # What "the account at a time" means: a time of the triggering process's clock.
    account = Account.open("Zoe")
    account.credit(Decimal("5.00"))
    saving_at = datetime.now(UTC)
    accounts.save(account)
    stamps = timestamps(accounts, account.id)
    assert all(stamp <= saving_at for stamp in stamps)
    assert version_at(accounts, account.id, saving_at) == 2


def test_before_it_was_opened_there_was_no_account(funded):
    accounts, alice, _ = funded
    (opened, *_) = timestamps(accounts, alice)
    with pytest.raises(AccountNotFoundError, match="was not open yet"):
        account_at(accounts, alice, opened - timedelta(microseconds=1))


def test_the_account_history_has_one_row_per_event_with_the_balance_after_it(funded):
    accounts, alice, bob = funded
    accounts.transfer(alice, bob, Decimal("30.00"))
    accounts.set_overdraft_limit(alice, Decimal("10.00"))
    table = account_history(accounts, alice)
    assert list(table.index) == [1, 2, 3, 4]
    assert list(table["event"]) == ["Opened", "Credited", "Debited", "OverdraftLimitSet"]
    assert list(table["balance"]) == [Decimal("0.00"), Decimal("100.00"), Decimal("70.00"), Decimal("70.00")]
    assert list(table["overdraft_limit"]) == [Decimal("0.00")] * 3 + [Decimal("10.00")]
    assert "log_entry" not in table.columns


def test_the_account_history_points_each_event_to_its_log_entry(funded):
    accounts, alice, bob = funded
    accounts.transfer(alice, bob, Decimal("30.00"))
    log = TransactionLogService()
    log.follow(accounts.name, accounts.notification_log)
    log.pull_and_process(accounts.name)
    table = account_history(accounts, bob, log)
    assert table["log_entry"].tolist() == [2, 5]  # 1 Alice opened, 3 credited, 4 debited


def test_an_unknown_account_has_no_history_table(accounts):
    with pytest.raises(AccountNotFoundError):
        account_history(accounts, uuid4())
