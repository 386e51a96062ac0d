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
    OverdraftLimitError,
)


def opened(balance="0", overdraft_limit="0") -> Account:
    account = Account.open("Alice", overdraft_limit=Decimal(overdraft_limit))
    if Decimal(balance):
        account.credit(Decimal(balance))
    account.collect_events()
    return account


def test_opening_triggers_opened_event_with_zero_balance():
    account = Account.open("Alice")
    events = account.collect_events()
    assert [type(e).__name__ for e in events] == ["Opened"]
    assert (account.owner, account.balance, account.overdraft_limit, account.is_closed) == (
        "Alice",
        Decimal("0.00"),
        Decimal("0.00"),
        False,
    )
    assert account.version == 1


@pytest.mark.parametrize(
    "owner",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param(None, id="None"),
        pytest.param(42, id="int"),
        pytest.param("A" * 101, id="too-long"),
        pytest.param("x" * 1_000_000, id="a-megabyte"),
        pytest.param("Ann\nSmith", id="control-character"),
        pytest.param("Ann\ud800", id="lone-surrogate"),
        pytest.param("\u2800", id="blank-braille-pattern"),
        pytest.param("\u3164", id="hangul-filler"),
        pytest.param("\u115f", id="hangul-choseong-filler"),
        pytest.param("\u0301", id="a-lone-combining-mark"),
        pytest.param("\u200b\u200b", id="zero-width-spaces"),
    ],
)
def test_owner_must_be_printable_text_of_at_most_100_characters(owner):
    with pytest.raises(InvalidOwnerError):
        Account.open(owner)


@pytest.mark.parametrize("owner", ["José", "Jose\u0301", "李", "😀", "O'Brien", "  Ann  "])
def test_an_owner_with_a_visible_character_is_accepted(owner):
    assert Account.open(owner).owner == owner


def test_an_owner_of_100_characters_in_any_script_is_accepted():
    assert Account.open("Zoë " + "東" * 96).owner == "Zoë " + "東" * 96


@pytest.mark.parametrize("limit", [Decimal("-1"), 1.0, Decimal("NaN"), Decimal("0.001"), "5"])
def test_opening_refuses_a_bad_overdraft_limit(limit):
    with pytest.raises(InvalidAmountError):
        Account.open("Alice", overdraft_limit=limit)


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


def test_the_limit_can_be_lowered_to_the_debt_but_not_below_it():
    account = opened(overdraft_limit="50")
    account.debit(Decimal("40"))
    with pytest.raises(OverdraftLimitError, match=r"the balance is -40\.00"):
        account.set_overdraft_limit(Decimal("39.99"))
    account.set_overdraft_limit(Decimal("40"))
    assert account.overdraft_limit == Decimal("40.00")
    assert [type(e).__name__ for e in account.collect_events()] == ["Debited", "OverdraftLimitSet"]


def test_a_limit_of_minus_zero_is_stored_as_zero():
    account = opened()
    account.set_overdraft_limit(Decimal("-0"))
    assert str(account.overdraft_limit) == "0.00"


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
        OverdraftLimitError,
    ):
        assert issubclass(error, BankError)


def test_state_is_the_fold_of_the_events():
    original = Account.open("Bob", overdraft_limit=Decimal("1"))
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
