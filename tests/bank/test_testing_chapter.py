"""The tests that chapter 15 (notebooks/15_testing.ipynb) shows and runs: the
bank tested four ways, one section of the chapter each. pytest collects this
file like any other; the notebook imports it and calls its functions."""

from contextlib import suppress
from decimal import Decimal

import hypothesis
from eventsourcing.application import ProcessingEvent
from hypothesis import strategies as st

from bank import (
    Account,
    AccountClosedError,
    AccountService,
    BankError,
    InsufficientFundsError,
    Ledger,
    LedgerService,
    persistence_env,
)
from course.given_when_then import Fact, describe, given, past_events

MEMORY = persistence_env("memory")

# 1. Given past events, when a command, then exactly these new events.

ALICE_OPENED = (Account.Opened, {"owner": "Alice", "overdraft_limit": Decimal("0.00")})


def credited(amount: str) -> Fact:
    return (Account.Credited, {"amount": Decimal(amount)})


def debited(amount: str) -> Fact:
    return (Account.Debited, {"amount": Decimal(amount)})


def test_a_debit_within_the_balance_is_recorded():
    given(ALICE_OPENED, credited("100.00")).when(Account.debit, Decimal("30.00")).then(debited("30.00"))


def test_a_debit_beyond_the_balance_is_refused_and_records_nothing():
    given(ALICE_OPENED, credited("20.00")).when(Account.debit, Decimal("30.00")).then_raises(InsufficientFundsError)


def test_a_closed_account_refuses_a_credit():
    given(ALICE_OPENED, (Account.Closed, {})).when(Account.credit, Decimal("5.00")).then_raises(AccountClosedError)


# 2. A policy in isolation: an account event in, the ledger events it collects out.


def test_the_first_credit_opens_the_ledger():
    ledger_service = LedgerService(env=MEMORY)
    *_, credit = past_events(ALICE_OPENED, credited("100.00"))
    processing_event = ProcessingEvent()
    ledger_service.policy(credit, processing_event)
    assert describe(processing_event.events) == [
        (Ledger.Opened, {"name": "bank"}),
        (Ledger.TransactionAdded, {"amount": Decimal("100.00")}),
    ]


def test_a_debit_is_added_to_the_ledger_the_service_holds():
    ledger_service = LedgerService(env=MEMORY)
    ledger = Ledger(LedgerService.LEDGER_NAME)  # given: a ledger with one transaction,
    ledger.add_transaction(Decimal("100.00"))
    ledger_service.save(ledger)  # in the service's own event store, where the policy reads it
    *_, debit = past_events(ALICE_OPENED, credited("100.00"), debited("30.00"))
    processing_event = ProcessingEvent()
    ledger_service.policy(debit, processing_event)
    assert describe(processing_event.events, keep=["originator_version"]) == [
        (Ledger.TransactionAdded, {"amount": Decimal("-30.00"), "originator_version": 3}),
    ]


# 3. One test, every backend: pytest passes each environment in turn (the
# `any_env` fixture in tests/conftest.py).


def test_a_transfer_is_recorded_on_every_backend(any_env):
    with AccountService(env=any_env) as accounts:  # closed at the end of the block
        alice = accounts.open_account("Alice")
        bob = accounts.open_account("Bob")
        accounts.deposit(alice, Decimal("100.00"))
        accounts.transfer(alice, bob, Decimal("30.00"))
        assert accounts.list_accounts() == [alice, bob]
        assert [accounts.get_balance(alice), accounts.get_balance(bob)] == [Decimal("70.00"), Decimal("30.00")]


# 4. A property: whatever the commands, the ledger is the sum of the balances.

ACCOUNTS = 2
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200.00"), places=2)
commands = st.lists(
    st.tuples(st.sampled_from(["deposit", "withdraw", "transfer"]), st.integers(0, ACCOUNTS - 1), amounts),
    max_size=20,
)


def the_books_balance(script: list[tuple[str, int, Decimal]], ledger_class: type = LedgerService) -> None:
    """Run the commands on two accounts that may each go 100.00 below zero
    (a refused command changes nothing), let a ledger process every event,
    and compare."""
    accounts, ledger = AccountService(env=MEMORY), ledger_class(env=MEMORY)
    ledger.follow(accounts.name, accounts.notification_log)
    ids = [accounts.open_account(f"Owner {n}", overdraft_limit=Decimal("100.00")) for n in range(ACCOUNTS)]
    for name, i, amount in script:
        arguments = (ids[i], ids[1 - i], amount) if name == "transfer" else (ids[i], amount)
        with suppress(BankError):
            getattr(accounts, name)(*arguments)
    ledger.pull_and_process(accounts.name)
    total = sum(accounts.get_balance(account_id) for account_id in ids)
    assert ledger.get_balance() == total, f"the ledger says {ledger.get_balance()}, the accounts add up to {total}"


@hypothesis.given(script=commands)
def test_the_ledger_is_the_sum_of_the_balances(script):
    the_books_balance(script)
