"""The transaction log: every credit and debit logged exactly once, even when
processing stops half-way; and the audited bank that runs it."""

from decimal import Decimal

import pytest

from bank import AccountService
from bank.transaction_log import AuditedBank, TransactionLogged, TransactionLogService


class PowerCutError(Exception):
    """Stands for the process dying in the middle of processing an event."""


class CrashesAfterPolicy(TransactionLogService):
    """Stops after the policy ran, before the processing event is recorded."""

    def policy(self, domain_event, processing_event):
        super().policy(domain_event, processing_event)
        raise PowerCutError


class SavesLogEntryOnItsOwn(TransactionLogService):
    """The original example's way: the log entry saved in a write of its own."""

    def policy(self, domain_event, processing_event):
        self.save(self.log_entry(domain_event))


class SavesOnItsOwnThenCrashes(SavesLogEntryOnItsOwn):
    def policy(self, domain_event, processing_event):
        super().policy(domain_event, processing_event)
        raise PowerCutError


@pytest.fixture
def log_env(tmp_path):
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "log.sqlite")}


def one_deposit() -> AccountService:
    accounts = AccountService()
    accounts.deposit(accounts.open_account("Alice"), Decimal("10.00"))
    return accounts


def process(service: TransactionLogService, accounts: AccountService) -> None:
    service.follow(accounts.name, accounts.notification_log)
    service.pull_and_process(accounts.name)


def logged_amounts(service: TransactionLogService) -> list[Decimal]:
    return [entry.amount for entry in service.get_transactions()]


def test_each_credit_and_debit_is_logged_once_in_order_with_a_signed_amount(funded):
    accounts, alice, bob = funded
    accounts.transfer(alice, bob, Decimal("30.00"))
    service = TransactionLogService()
    process(service, accounts)
    entries = service.get_transactions()
    assert all(isinstance(e, TransactionLogged) for e in entries)
    assert [(e.account_id, e.account_version, e.amount) for e in entries] == [
        (alice, 2, Decimal("100.00")),
        (alice, 3, Decimal("-30.00")),
        (bob, 2, Decimal("30.00")),
    ]
    assert [e.originator_version for e in entries] == [1, 2, 3]


def test_processing_again_logs_nothing_twice(funded):
    accounts, _, _ = funded
    service = TransactionLogService()
    process(service, accounts)
    service.pull_and_process(accounts.name)
    assert logged_amounts(service) == [Decimal("100.00")]


def test_transactions_can_be_read_in_pages(funded):
    accounts, alice, _ = funded
    accounts.withdraw(alice, Decimal("1.00"))
    accounts.withdraw(alice, Decimal("2.00"))
    service = TransactionLogService()
    process(service, accounts)
    assert [e.amount for e in service.get_transactions(after=1, limit=1)] == [Decimal("-1.00")]


def test_a_crash_before_recording_loses_nothing_and_duplicates_nothing(log_env):
    accounts = one_deposit()
    with pytest.raises(PowerCutError):
        process(CrashesAfterPolicy(env=log_env), accounts)
    restarted = TransactionLogService(env=log_env)
    assert logged_amounts(restarted) == []  # the collected entry died with the process
    process(restarted, accounts)
    assert logged_amounts(restarted) == [Decimal("10.00")]


def test_saving_the_entry_on_its_own_duplicates_it_after_a_crash(log_env):
    # Why the entry must be collected on the processing event: here it was
    # recorded, the tracking record was not, so the event is processed again.
    accounts = one_deposit()
    with pytest.raises(PowerCutError):
        process(SavesOnItsOwnThenCrashes(env=log_env), accounts)
    restarted = SavesLogEntryOnItsOwn(env=log_env)
    process(restarted, accounts)
    assert logged_amounts(restarted) == [Decimal("10.00"), Decimal("10.00")]


def test_the_audited_bank_logs_as_it_goes_and_keeps_the_ledger(bank_with_log):
    accounts = bank_with_log.accounts
    alice = accounts.open_account("Alice")
    bob = accounts.open_account("Bob")
    accounts.deposit(alice, Decimal("100.00"))
    accounts.transfer(alice, bob, Decimal("40.00"))
    bank_with_log.wait_for_ledger()
    entries = bank_with_log.transactions.get_transactions()
    assert [e.amount for e in entries] == [Decimal("100.00"), Decimal("-40.00"), Decimal("40.00")]
    assert sum(e.amount for e in entries) == bank_with_log.ledger.get_balance() == Decimal("100.00")


def test_the_audited_bank_catches_up_with_transactions_made_before_it_started():
    bank = AuditedBank()
    accounts = bank.accounts
    accounts.deposit(accounts.open_account("Alice"), Decimal("5.00"))
    with bank:
        assert logged_amounts(bank.transactions) == [Decimal("5.00")]


@pytest.fixture
def bank_with_log():
    with AuditedBank() as running:
        yield running
