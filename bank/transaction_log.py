"""TransactionLogService: a process application that keeps one log of every
credit and debit, written atomically with its tracking record."""

from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import EventSourcedLog, ProcessingEvent
from eventsourcing.domain import DomainEvent, DomainEventProtocol
from eventsourcing.system import ProcessApplication, System
from eventsourcing.utils import get_topic

from bank.account import Account
from bank.account_service import AccountService
from bank.ledger_service import LedgerService
from bank.system import EventSourcedBank


class TransactionLogged(DomainEvent):
    """One entry of the log: which account, its version, and the signed amount."""

    account_id: UUID
    account_version: int
    amount: Decimal  # positive for a credit, negative for a debit


class TransactionLogService(ProcessApplication[UUID]):
    """Follows the account service. Each credit or debit becomes one log entry,
    collected on the processing event, so the entry and the tracking record
    are recorded in one transaction: both or neither."""

    LOG_ID = uuid5(NAMESPACE_URL, "/transactions")
    topics = (get_topic(Account.Credited), get_topic(Account.Debited))

    def __init__(self, env: Any = None) -> None:
        super().__init__(env)
        self.transaction_log = EventSourcedLog(self.events, self.LOG_ID, TransactionLogged)

    def policy(self, domain_event: DomainEventProtocol[UUID], processing_event: ProcessingEvent[UUID]) -> None:
        processing_event.collect_events(self.log_entry(domain_event))

    def log_entry(self, domain_event: DomainEventProtocol[UUID]) -> TransactionLogged:
        """The next log entry, for an `Account.Credited` or `Account.Debited` event."""
        amount = domain_event.amount if isinstance(domain_event, Account.Credited) else -domain_event.amount
        return self.transaction_log.trigger_event(
            account_id=domain_event.originator_id,
            account_version=domain_event.originator_version,
            amount=amount,
        )

    def get_transactions(self, after: int | None = None, limit: int | None = None) -> list[TransactionLogged]:
        """Log entries in order; an entry's position is its `originator_version`."""
        return list(self.transaction_log.get(gt=after, limit=limit))


audited_bank_system = System(pipes=[[AccountService, LedgerService], [AccountService, TransactionLogService]])


class AuditedBank(EventSourcedBank):
    """The bank with a transaction log beside the ledger."""

    system = audited_bank_system

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.transactions: TransactionLogService = self.runner.get(TransactionLogService)

    def start(self) -> None:
        # Catch up with what was recorded while the log was not running.
        self.transactions.follow(self.accounts.name, self.accounts.notification_log)
        self.transactions.pull_and_process(self.accounts.name)
        super().start()
