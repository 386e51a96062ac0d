"""Several ledgers instead of one: the answer to a write hot-spot.

One `Ledger` aggregate records every transaction of the bank, so its
follower must process them one after another. Partitions share the work:
`ledger_partition(k, n)` keeps the transactions of the accounts in share `k`
of `n` (by account id), in its own ledger and its own tables, so `n`
followers run side by side and the bank's balance is the sum of theirs.
"""

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.persistence import Notification

from bank.ledger_service import LedgerService


class LedgerPartition(LedgerService):
    """A ledger service that records only its share of the accounts."""

    partition = 0
    partitions = 1

    def filter_received_notifications(self, notifications: Sequence[Notification]) -> Sequence[Notification]:
        """Skip other partitions' notifications before processing: no ledger
        event and no tracking record is written for them."""
        mine = [n for n in notifications if partition_of(n.originator_id, self.partitions) == self.partition]
        return super().filter_received_notifications(mine)


def partition_of(account_id: UUID, partitions: int) -> int:
    """Which of `partitions` shares an account belongs to (always the same one)."""
    return UUID(str(account_id)).int % partitions


def ledger_partition(index: int, count: int) -> type[LedgerService]:
    """The ledger service for share `index` (0, 1, ...) of `count`; for a count
    of 1, the bank's one `LedgerService`."""
    if count == 1:
        return LedgerService
    if not 0 <= index < count:
        msg = f"partition index must be between 0 and {count - 1}, not {index}"
        raise ValueError(msg)
    name = f"LedgerPartition{index + 1}of{count}"
    attributes = {
        "__module__": __name__,
        "name": name,  # the application's name: its tables are ledgerpartition1of2_events, ...
        "partition": index,
        "partitions": count,
        "LEDGER_NAME": f"partition {index + 1} of {count}",
    }
    return type(LedgerPartition)(name, (LedgerPartition,), attributes)
