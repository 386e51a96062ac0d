"""The Ledger aggregate: the bank's overall balance, one entry per transaction."""

from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class Ledger(Aggregate):
    """Sums every credit (+) and debit (-) made on any account."""

    @staticmethod
    def create_id(name: str) -> UUID:
        """The same name always gives the same id, so a ledger can be found by name."""
        return uuid5(NAMESPACE_URL, f"/ledgers/{name}")

    @event("Opened")
    def __init__(self, name: str) -> None:
        self.name = name
        self.balance = Decimal("0.00")
        self.transaction_count = 0

    @event("TransactionAdded")
    def add_transaction(self, amount: Decimal) -> None:
        """Record one account transaction: positive for credits, negative for debits."""
        self.balance += amount
        self.transaction_count += 1
