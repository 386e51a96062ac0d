"""TransactionLogService: a process application that keeps one log of
everything that happens to every account, in the order it was recorded."""

import re
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import EventSourcedLog, ProcessingEvent
from eventsourcing.domain import DomainEvent, DomainEventProtocol
from eventsourcing.system import ProcessApplication

from bank.errors import InvalidQueryError

MAX_POSITION = 2**63 - 1  # the largest integer SQLite stores


class TransactionLogged(DomainEvent):
    """One entry of the log: which account, at which of its versions, what
    kind of change ("opened", "credited", "debited", "overdraft_limit_set",
    "closed") and its amount (None when it has none). Its `timestamp` is
    when the entry was made; its `originator_version` its position in the log."""

    account_id: UUID
    account_version: int
    kind: str
    amount: Decimal | None


@cache  # once per event class
def kind_of(event_class: type) -> str:
    """An account event's kind: its class name in snake case
    (`OverdraftLimitSet` is "overdraft_limit_set")."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", event_class.__name__).lower()


class TransactionLogService(ProcessApplication[UUID]):
    """Follows the account service. Each account event becomes one log entry,
    collected on the processing event, so the entry and the tracking record
    are recorded in one transaction: both or neither."""

    LOG_ID = uuid5(NAMESPACE_URL, "/transactions")

    def __init__(self, env: Any = None) -> None:
        super().__init__(env)
        self.transaction_log = EventSourcedLog(self.events, self.LOG_ID, TransactionLogged)

    def policy(self, domain_event: DomainEventProtocol[UUID], processing_event: ProcessingEvent[UUID]) -> None:
        processing_event.collect_events(self.log_entry(domain_event))

    def log_entry(self, domain_event: DomainEventProtocol[UUID]) -> TransactionLogged:
        """The next log entry, for an account event."""
        return self.transaction_log.trigger_event(
            next_originator_version=self.next_position(),
            account_id=domain_event.originator_id,
            account_version=domain_event.originator_version,
            kind=kind_of(type(domain_event)),
            amount=getattr(domain_event, "amount", getattr(domain_event, "limit", None)),
        )

    def next_position(self) -> int | None:
        """The next entry's position in the log; None lets the library find
        it by reading the last entry."""
        return None

    def get_transactions(
        self, after: int | None = None, limit: int | None = None, *, newest_first: bool = False
    ) -> list[TransactionLogged]:
        """Log entries in recorded order (or newest first): those after
        position `after`, at most `limit` of them."""
        if not all(n is None or (type(n) is int and n >= 0) for n in (after, limit)) or type(newest_first) is not bool:
            msg = f"after and limit take a whole number >= 0 or None, newest_first True or False, not {after!r}, "
            raise InvalidQueryError(msg + f"{limit!r}, {newest_first!r}")
        if limit == 0 or (after or 0) > MAX_POSITION:
            return []
        if limit is not None:
            limit = min(limit, MAX_POSITION)
        return list(self.transaction_log.get(gt=after, limit=limit, desc=newest_first))
