"""The Account aggregate's rules. A refused command triggers no event."""

from decimal import Decimal

import pytest
from test_money import BAD_AMOUNTS

from bank import (
    Account,
    AccountClosedError,
    BalanceNotZeroError,
    BankError,
    InsufficientFundsError,
    InvalidAmountError,
    InvalidOwnerError,
)


def opened(balance="0", overdraft_limit="0") -> Account:
    account = Account("Alice", overdraft_limit=Decimal(overdraft_limit))
    if Decimal(balance):
        account.credit(Decimal(balance))
    account.collect_events()
    return account


def test_opening_triggers_opened_event_with_zero_balance():
    account = Account("Alice")
    events = account.collect_events()
    assert [type(e).__name__ for e in events] == ["Opened"]
    assert (account.owner, account.balance, account.overdraft_limit, account.is_closed) == (
        "Alice",
        Decimal("0.00"),
        Decimal("0.00"),
        False,
    )
    assert account.version == 1


@pytest.mark.parametrize("owner", ["", "   ", None, 42])
def test_owner_must_be_a_non_empty_string(owner):
    with pytest.raises(InvalidOwnerError):
        Account(owner)


@pytest.mark.parametrize("limit", [Decimal("-1"), 1.0, Decimal("NaN"), Decimal("0.001"), "5"])
def test_opening_refuses_a_bad_overdraft_limit(limit):
    with pytest.raises(InvalidAmountError):
        Account("Alice", overdraft_limit=limit)


def test_credit_and_debit_change_the_balance():
    account = opened()
    account.credit(Decimal("10.00"))
    account.debit(Decimal("2.50"))
    assert account.balance == Decimal("7.50")
    assert [type(e).__name__ for e in account.collect_events()] == ["Credited", "Debited"]


@pytest.mark.parametrize("command", ["credit", "debit"])
@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_bad_amounts_are_refused_and_record_nothing(command, amount):
    account = opened(balance="100")
    with pytest.raises(InvalidAmountError):
        getattr(account, command)(amount)
    assert account.collect_events() == []
    assert account.balance == Decimal("100.00")


def test_debit_may_not_go_below_zero_without_an_overdraft():
    account = opened(balance="10")
    with pytest.raises(InsufficientFundsError):
        account.debit(Decimal("10.01"))
    assert account.collect_events() == []


def test_debit_may_go_down_to_minus_the_overdraft_limit_and_no_further():
    account = opened(balance="10", overdraft_limit="50")
    account.debit(Decimal("60.00"))
    assert account.balance == Decimal("-50.00")
    with pytest.raises(InsufficientFundsError):
        account.debit(Decimal("0.01"))


def test_overdraft_limit_can_be_changed_but_not_made_negative():
    account = opened()
    account.set_overdraft_limit(Decimal("20"))
    assert account.overdraft_limit == Decimal("20.00")
    with pytest.raises(InvalidAmountError):
        account.set_overdraft_limit(Decimal("-1"))
    with pytest.raises(InvalidAmountError):
        account.set_overdraft_limit(20.0)
    assert [type(e).__name__ for e in account.collect_events()] == ["OverdraftLimitSet"]


def test_lowering_the_limit_below_the_debt_keeps_the_debt_but_refuses_more_debits():
    account = opened(overdraft_limit="50")
    account.debit(Decimal("40"))
    account.set_overdraft_limit(Decimal("0"))
    assert account.balance == Decimal("-40.00")
    with pytest.raises(InsufficientFundsError):
        account.debit(Decimal("1"))


def test_an_empty_account_can_be_closed():
    account = opened()
    account.close()
    assert account.is_closed
    assert [type(e).__name__ for e in account.collect_events()] == ["Closed"]


@pytest.mark.parametrize("balance", ["0.01", "-5"])
def test_an_account_with_money_or_debt_cannot_be_closed(balance):
    account = opened(overdraft_limit="10")
    if Decimal(balance) > 0:
        account.credit(Decimal(balance))
    else:
        account.debit(-Decimal(balance))
    account.collect_events()
    with pytest.raises(BalanceNotZeroError, match="balance"):
        account.close()
    assert account.collect_events() == []


@pytest.mark.parametrize(
    ("command", "args"),
    [("credit", (Decimal("1"),)), ("debit", (Decimal("1"),)), ("set_overdraft_limit", (Decimal("1"),)), ("close", ())],
)
def test_a_closed_account_accepts_no_command(command, args):
    account = opened()
    account.close()
    account.collect_events()
    with pytest.raises(AccountClosedError):
        getattr(account, command)(*args)
    assert account.collect_events() == []


def test_every_domain_error_is_a_bank_error():
    for error in (
        InvalidAmountError,
        InsufficientFundsError,
        AccountClosedError,
        BalanceNotZeroError,
        InvalidOwnerError,
    ):
        assert issubclass(error, BankError)


def test_state_is_the_fold_of_the_events():
    original = Account("Bob", overdraft_limit=Decimal("1"))
    original.credit(Decimal("5"))
    original.debit(Decimal("2"))
    original.set_overdraft_limit(Decimal("3"))
    rebuilt = None
    for event in original.collect_events():
        rebuilt = event.mutate(rebuilt)
    assert (rebuilt.id, rebuilt.version, rebuilt.owner, rebuilt.balance, rebuilt.overdraft_limit) == (
        original.id,
        4,
        "Bob",
        Decimal("3.00"),
        Decimal("3.00"),
    )
