"""The bank tuned for one process: the aggregate cache trusted without checks.

`EventSourcedBank`'s account service keeps its cache right when other
processes write to the same database (chapter 07's writers): fast-forward
reads a cached account's newer events before each use. When one process runs
the whole bank, each service is the only writer of its aggregates, so its
cache is always up to date; `SingleProcessBank` uses that, and is for one
process only. `python -m course.bench` measures both; chapter 17 explains.
"""

import copy
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProjectorFunction, project_aggregate
from eventsourcing.system import NewSingleThreadedRunner, Runner, System

from bank.account import Account
from bank.account_service import AccountService
from bank.ledger import Ledger
from bank.ledger_service import LedgerService
from bank.system import EventSourcedBank
from bank.transaction_log import TransactionLogService

TAggregate = TypeVar("TAggregate")

SINGLE_PROCESS_SETTINGS = {
    # Keep up to 10,000 aggregates in memory: a command then starts from the
    # cached account instead of a snapshot plus up to 49 events.
    "AGGREGATE_CACHE_MAXSIZE": "10000",
    # No "fast-forward": a cached aggregate is not checked against the
    # database for newer events, saving one query per command. Only safe
    # with ONE writer: the cache is updated by this process's own saves.
    "AGGREGATE_CACHE_FASTFORWARD": "n",
    # The repository hands out the cached aggregate itself; the services
    # below copy it with `copy_aggregate`, six times faster than the
    # repository's deep copy. A copy is still needed: a transfer whose
    # second half is refused must not leave a half-changed account cached.
    "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
}

IMMUTABLE = frozenset({str, int, bool, float, Decimal, UUID, datetime, type(None)})


def copy_aggregate(aggregate: TAggregate) -> TAggregate:
    """A copy that can be changed without changing `aggregate`.

    `copy.deepcopy` rebuilds every UUID and datetime piece by piece, though
    they never change; here only values of other types are deep-copied
    (for the bank's aggregates: just the list of pending events).
    """
    clone = object.__new__(type(aggregate))
    clone.__dict__.update(
        # exact types: a subclass of an immutable type might be mutable
        (name, value if type(value) in IMMUTABLE else copy.deepcopy(value))
        for name, value in vars(aggregate).items()
    )
    return clone


class SnapshotsFromCache(Application[UUID]):
    """Takes a snapshot from the aggregate just saved, when the cache holds it.

    The library takes a snapshot by reading the aggregate back at that
    version: the previous snapshot plus the events since, 50 events decoded
    again every 50 events. Without fast-forward the cache holds the very
    aggregate that was saved, so there is nothing to read back.
    """

    def take_snapshot(
        self,
        aggregate_id: UUID,
        version: int | None = None,
        projector_func: ProjectorFunction[Any, Any] = project_aggregate,
    ) -> None:
        aggregate = self._saved_aggregate(aggregate_id)
        if self.snapshots is not None and aggregate is not None and version == aggregate.version:
            snapshot_class = getattr(type(aggregate), "Snapshot", self.snapshot_class)
            self.snapshots.put([snapshot_class.take(aggregate)])
        else:
            super().take_snapshot(aggregate_id, version, projector_func)

    def _saved_aggregate(self, aggregate_id: UUID) -> Any:
        cache = self.repository.cache
        if cache is None or self.repository.fastforward:
            return None  # the cache may hold an older version
        try:
            return cache.get(aggregate_id)
        except KeyError:
            return None


class SingleProcessAccountService(SnapshotsFromCache, AccountService):
    name = AccountService.name  # same tables and tracking records as AccountService

    def get_account(self, account_id: UUID, version: int | None = None) -> Account:
        return copy_aggregate(super().get_account(account_id, version))


class SingleProcessLedgerService(SnapshotsFromCache, LedgerService):
    name = LedgerService.name

    ledger_id = Ledger.create_id(LedgerService.LEDGER_NAME)  # once, not once per transaction

    def _find_ledger(self) -> Ledger | None:
        try:
            return copy_aggregate(self.repository.get(self.ledger_id))
        except AggregateNotFoundError:
            return None


class SingleProcessTransactionLogService(TransactionLogService):
    """Counts the log's positions itself instead of reading the last entry
    before each new one: only safe with one writer, as the cache is."""

    name = TransactionLogService.name

    def __init__(self, env: Any = None) -> None:
        super().__init__(env)
        last = self.transaction_log.get_last()
        self._next_position = 1 if last is None else last.originator_version + 1

    def next_position(self) -> int:
        return self._next_position

    def process_event(self, domain_event: Any, tracking: Any) -> None:
        super().process_event(domain_event, tracking)
        self._next_position += 1  # recorded: each event is one entry


class SingleProcessBank(EventSourcedBank):
    """EventSourcedBank for one process, with its fastest settings: never run
    two on one database (their caches and log positions would disagree).

    The runner is `NewSingleThreadedRunner`: it hands the followers the
    account events just recorded, where `SingleThreadedRunner` reads them back
    from the account service's notification log. In one process it is safe
    because the account service records, and prompts, one command at a time.
    """

    system = System(
        pipes=[
            [SingleProcessAccountService, SingleProcessLedgerService],
            [SingleProcessAccountService, SingleProcessTransactionLogService],
        ]
    )
    runners = (NewSingleThreadedRunner,)

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        runner_class: type[Runner] = NewSingleThreadedRunner,
    ) -> None:
        super().__init__(SINGLE_PROCESS_SETTINGS | dict(env or {}), runner_class)
