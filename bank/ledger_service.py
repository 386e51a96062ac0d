"""LedgerService: a process application that records every account
transaction in one ledger, exactly once."""

from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.system import ProcessApplication

from bank.account import Account
from bank.ledger import Ledger


class LedgerService(ProcessApplication[UUID]):
    """Follows the account service and adds each credit (+) and debit (-) to the
    ledger named `LEDGER_NAME`. It processes every account event (the others
    change nothing), so its tracking position reaches the account service's last."""

    LEDGER_NAME = "bank"
    snapshotting_intervals: ClassVar = {Ledger: 50}
    # The ledger is read for every transaction: keep it in memory (brought up
    # to date before use, as in AccountService) rather than rebuild it each time.
    env: ClassVar = {"AGGREGATE_CACHE_MAXSIZE": "10"}

    @singledispatchmethod
    def policy(self, domain_event: DomainEventProtocol[UUID], processing_event: ProcessingEvent[UUID]) -> None:
        """Other events change nothing in the ledger."""

    @policy.register
    def _(self, domain_event: Account.Credited, processing_event: ProcessingEvent[UUID]) -> None:
        self._add_transaction(domain_event.amount, processing_event)

    @policy.register
    def _(self, domain_event: Account.Debited, processing_event: ProcessingEvent[UUID]) -> None:
        self._add_transaction(-domain_event.amount, processing_event)

    def _add_transaction(self, amount: Decimal, processing_event: ProcessingEvent[UUID]) -> None:
        ledger = self._find_ledger() or Ledger(self.LEDGER_NAME)
        ledger.add_transaction(amount)
        # Collected, not saved: the new ledger event is recorded in the same
        # transaction as the tracking record of the account event.
        processing_event.collect_events(ledger)

    def _find_ledger(self) -> Ledger | None:
        try:
            return self.repository.get(Ledger.create_id(self.LEDGER_NAME))
        except AggregateNotFoundError:
            return None

    def get_balance(self) -> Decimal:
        ledger = self._find_ledger()
        return ledger.balance if ledger else Decimal("0.00")

    def get_transaction_count(self) -> int:
        ledger = self._find_ledger()
        return ledger.transaction_count if ledger else 0
