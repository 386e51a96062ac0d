"""The transaction log: every account event logged exactly once, in recorded
order, even when processing stops half-way; run by the bank beside the ledger."""

from decimal import Decimal

import pytest

from bank import AccountService, EventSourcedBank, InvalidQueryError
from bank.transaction_log import TransactionLogged, TransactionLogService


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


def kinds(service: TransactionLogService) -> list[tuple[str, Decimal | None]]:
    return [(entry.kind, entry.amount) for entry in service.get_transactions()]


def test_every_account_event_is_logged_once_in_order_with_its_kind_and_amount(funded):
    accounts, alice, bob = funded
    accounts.transfer(alice, bob, Decimal("30.00"))
    accounts.set_overdraft_limit(alice, Decimal("5.00"))
    accounts.withdraw(bob, Decimal("30.00"))
    accounts.close_account(bob)
    service = TransactionLogService()
    process(service, accounts)
    entries = service.get_transactions()
    assert all(isinstance(e, TransactionLogged) for e in entries)
    assert [(e.account_id, e.account_version, e.kind, e.amount) for e in entries] == [
        (alice, 1, "opened", None),
        (bob, 1, "opened", None),
        (alice, 2, "credited", Decimal("100.00")),
        (alice, 3, "debited", Decimal("30.00")),
        (bob, 2, "credited", Decimal("30.00")),
        (alice, 4, "overdraft_limit_set", Decimal("5.00")),
        (bob, 3, "debited", Decimal("30.00")),
        (bob, 4, "closed", None),
    ]
    assert [e.originator_version for e in entries] == list(range(1, 9))
    assert all(e.timestamp.tzinfo is not None for e in entries)


def test_processing_again_logs_nothing_twice(funded):
    accounts, _, _ = funded
    service = TransactionLogService()
    process(service, accounts)
    service.pull_and_process(accounts.name)
    assert kinds(service) == [("opened", None), ("opened", None), ("credited", Decimal("100.00"))]


def test_entries_can_be_read_in_pages_and_newest_first(funded):
    accounts, alice, _ = funded
    accounts.withdraw(alice, Decimal("1.00"))
    accounts.withdraw(alice, Decimal("2.00"))
    service = TransactionLogService()
    process(service, accounts)
    assert [e.amount for e in service.get_transactions(after=3, limit=1)] == [Decimal("1.00")]
    assert [e.amount for e in service.get_transactions(limit=2, newest_first=True)] == [
        Decimal("2.00"),
        Decimal("1.00"),
    ]


@pytest.mark.parametrize(
    "arguments",
    [
        *[{"limit": "1"}, {"limit": -1}, {"limit": 1.0}, {"limit": True}, {"after": "x"}, {"after": -1}],
        *[{"newest_first": None}, {"newest_first": 1}],
    ],
    ids=repr,
)
def test_get_transactions_refuses_arguments_of_the_wrong_kind(arguments):
    with pytest.raises(InvalidQueryError, match="after and limit take a whole number"):
        TransactionLogService().get_transactions(**arguments)


def test_every_backend_reads_the_log_alike_at_the_edges(any_env):
    with EventSourcedBank(any_env) as bank:
        alice = bank.accounts.open_account("Alice")
        bank.accounts.deposit(alice, Decimal("1.00"))
        log = bank.transactions
        assert log.get_transactions(limit=0) == []
        assert len(log.get_transactions(limit=10**20)) == 2
        assert log.get_transactions(after=10**20) == []
        assert [e.kind for e in log.get_transactions(after=1)] == ["credited"]


def test_a_crash_before_recording_loses_nothing_and_duplicates_nothing(log_env):
    accounts = one_deposit()
    with pytest.raises(PowerCutError):
        process(CrashesAfterPolicy(env=log_env), accounts)
    restarted = TransactionLogService(env=log_env)
    assert kinds(restarted) == []  # the collected entry died with the process
    process(restarted, accounts)
    assert kinds(restarted) == [("opened", None), ("credited", Decimal("10.00"))]


def test_saving_the_entry_on_its_own_duplicates_it_after_a_crash(log_env):
    # Why the entry must be collected on the processing event: here it was
    # recorded, the tracking record was not, so the event is processed again.
    accounts = one_deposit()
    with pytest.raises(PowerCutError):
        process(SavesOnItsOwnThenCrashes(env=log_env), accounts)
    restarted = SavesLogEntryOnItsOwn(env=log_env)
    process(restarted, accounts)
    assert kinds(restarted) == [("opened", None), ("opened", None), ("credited", Decimal("10.00"))]


def test_the_bank_logs_as_it_goes_beside_the_ledger(any_env):
    with EventSourcedBank(any_env) as bank:
        accounts = bank.accounts
        alice = accounts.open_account("Alice")
        bob = accounts.open_account("Bob")
        accounts.deposit(alice, Decimal("100.00"))
        accounts.transfer(alice, bob, Decimal("40.00"))
        bank.wait_for_ledger()
        entries = bank.transactions.get_transactions()
        assert [(e.kind, e.amount) for e in entries] == [
            ("opened", None),
            ("opened", None),
            ("credited", Decimal("100.00")),
            ("debited", Decimal("40.00")),
            ("credited", Decimal("40.00")),
        ]
        signed = sum(e.amount if e.kind == "credited" else -e.amount for e in entries if e.amount is not None)
        assert signed == bank.ledger.get_balance() == Decimal("100.00")


def test_the_log_survives_a_restart_and_catches_up_with_what_was_recorded_while_it_was_down(durable_env):
    with EventSourcedBank(durable_env) as bank:
        alice = bank.accounts.open_account("Alice")
        bank.accounts.deposit(alice, Decimal("5.00"))
    accounts = AccountService(env=durable_env)  # the bank is down; the account service alone
    accounts.withdraw(alice, Decimal("2.00"))
    accounts.close()
    with EventSourcedBank(durable_env) as bank:
        assert kinds(bank.transactions) == [
            ("opened", None),
            ("credited", Decimal("5.00")),
            ("debited", Decimal("2.00")),
        ]
