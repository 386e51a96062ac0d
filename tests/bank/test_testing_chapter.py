"""The course's own code tested the ways chapter 15 (notebooks/15_testing.ipynb)
teaches: the library's test cases (`eventsourcing.tests`) run on the course's
own recorders; given–when–then on events; a policy on its own; one test on
every backend; and a property that hypothesis searches."""

import tempfile
from contextlib import suppress
from decimal import Decimal
from itertools import count
from pathlib import Path

import hypothesis
from eventsourcing.application import ProcessingEvent
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests import persistence as library_tests  # (the module: its base classes are no tests to collect)
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
from bank.persistence import PollingSQLiteApplicationRecorder, PollingSQLiteProcessRecorder
from course.given_when_then import Fact, describe, given, past_events

MEMORY = persistence_env("memory")

# 1. The library's test cases, on the recorders of ours (bank/persistence.py):
# SQLite files in a temporary folder, a new one for each recorder a test makes.


class SQLiteFiles:
    """Gives each test a temporary folder, and each recorder a new file in it."""

    def setUp(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="bank-test-")
        self.files = (str(Path(self.folder.name) / f"events-{n}.sqlite") for n in count(1))

    def tearDown(self) -> None:
        self.folder.cleanup()


class TestPollingSQLiteApplicationRecorder(SQLiteFiles, library_tests.ApplicationRecorderTestCase):
    recorder_class = PollingSQLiteApplicationRecorder

    def create_recorder(self):
        recorder = self.recorder_class(SQLiteDatastore(next(self.files), pool_size=20))
        recorder.create_table()
        return recorder

    def test_insert_subscribe(self) -> None:  # the library's optional test: ours can subscribe
        self.optional_test_insert_subscribe()


class TestPollingSQLiteProcessRecorderAsApplicationRecorder(TestPollingSQLiteApplicationRecorder):
    recorder_class = PollingSQLiteProcessRecorder


class TestPollingSQLiteProcessRecorder(SQLiteFiles, library_tests.ProcessRecorderTestCase):
    def create_recorder(self):
        recorder = PollingSQLiteProcessRecorder(SQLiteDatastore(next(self.files)))
        recorder.create_table()
        return recorder


# 2. Given past events, when a command, then exactly these new events.

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


# 3. A policy on its own: an account event in, the ledger events it collects out.


def test_the_first_credit_opens_the_ledger():
    ledger_service = LedgerService(env=MEMORY)
    *_, credit = past_events(ALICE_OPENED, credited("100.00"))
    processing_event = ProcessingEvent()
    ledger_service.policy(credit, processing_event)
    assert describe(processing_event.events) == [
        (Ledger.Opened, {"name": "bank"}),
        (Ledger.TransactionAdded, {"amount": Decimal("100.00")}),
    ]


def test_a_credit_continues_the_ledger_the_service_holds():
    ledger_service = LedgerService(env=MEMORY)
    ledger = Ledger(LedgerService.LEDGER_NAME)  # given: a ledger with two transactions,
    ledger.add_transaction(Decimal("100.00"))
    ledger.add_transaction(Decimal("-30.00"))
    ledger_service.save(ledger)  # in the service's own event store, where the policy reads it
    *_, credit = past_events(ALICE_OPENED, credited("20.00"))
    processing_event = ProcessingEvent()
    ledger_service.policy(credit, processing_event)
    assert describe(processing_event.events, keep=["originator_version"]) == [
        (Ledger.TransactionAdded, {"amount": Decimal("20.00"), "originator_version": 4}),
    ]
    assert processing_event.aggregates[ledger.id].balance == Decimal("90.00")


# 4. One test, every backend: pytest passes each environment in turn (the
# `any_env` fixture in tests/conftest.py).


def test_a_transfer_is_recorded_on_every_backend(any_env):
    with AccountService(env=any_env) as accounts:  # closed at the end of the block
        alice = accounts.open_account("Alice")
        bob = accounts.open_account("Bob")
        accounts.deposit(alice, Decimal("100.00"))
        accounts.transfer(alice, bob, Decimal("30.00"))
        assert accounts.list_accounts() == [alice, bob]
        assert [accounts.get_balance(alice), accounts.get_balance(bob)] == [Decimal("70.00"), Decimal("30.00")]


# 5. A property: whatever the commands, the ledger is the sum of the balances.

ACCOUNTS = 2
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200.00"), places=2)
commands = st.lists(
    st.tuples(st.sampled_from(["deposit", "withdraw", "transfer"]), st.integers(0, ACCOUNTS - 1), amounts),
    max_size=20,
)


@hypothesis.given(script=commands)
def test_the_ledger_is_the_sum_of_the_balances(script):
    accounts, ledger = AccountService(env=MEMORY), LedgerService(env=MEMORY)
    ledger.follow(accounts.name, accounts.notification_log)
    ids = [accounts.open_account(f"Owner {n}", overdraft_limit=Decimal("100.00")) for n in range(ACCOUNTS)]
    for name, i, amount in script:
        arguments = (ids[i], ids[1 - i]) if name == "transfer" else (ids[i],)
        with suppress(BankError):  # a refused command changes nothing
            getattr(accounts, name)(*arguments, amount)
    ledger.pull_and_process(accounts.name)
    total = sum(accounts.get_balance(account_id) for account_id in ids)
    assert ledger.get_balance() == total, f"the ledger says {ledger.get_balance()}, the accounts add up to {total}"
