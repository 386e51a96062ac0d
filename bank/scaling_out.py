"""The bank's services as separate OS processes that share one database.

Each process reads its configuration from the library's environment variables
(see `bank.persistence_env`), so every process finds the same tables:

    python -m bank.scaling_out ledger              # follow the accounts, until stopped
    python -m bank.scaling_out ledger --partition 1/2
    python -m bank.scaling_out writer --transfers 100 --seed 7

The ledger process is a follower loop: it pulls the account service's new
notifications from the database, processes them, sleeps a moment, and again.
Its position is its tracking record, saved with each ledger change, so a
process killed at any point carries on where it stopped when started again.

Several ledgers instead of one: the answer to a write hot-spot.

One `Ledger` aggregate records every transaction of the bank, so its
follower must process them one after another. Partitions share the work:
`ledger_partition(k, n)` keeps the transactions of the accounts in share `k`
of `n` (by account id), in its own ledger and its own tables, so `n`
followers run side by side and the bank's balance is the sum of theirs.
"""

import argparse
import json
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from random import Random
from time import sleep
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError, InternalError, Notification, ProgrammingError

from bank.account_service import AccountService
from bank.errors import BankError
from bank.lag import follower_lag, wait_until_processed
from bank.ledger_service import LedgerService

READY = "ready"
__all__ = [
    "READY",
    "follower_lag",
    "open_service",
    "retry_on_conflict",
    "run_ledger",
    "run_writer",
    "wait_until_processed",
]
T = TypeVar("T")


def open_service(service_class: type[T], env: Mapping[str, str] | None, attempts: int = 10) -> T:
    """Construct a service, which creates its tables if they do not exist yet.
    Processes started at the same moment may run that DDL at once, and
    PostgreSQL then refuses some of it ("tuple concurrently updated",
    "relation already exists"): the tables are there a moment later, so
    try again."""
    for attempt in range(1, attempts + 1):
        try:
            return service_class(env=env)
        except (InternalError, IntegrityError, ProgrammingError):
            if attempt == attempts:
                raise
            sleep(0.05 * attempt)
    raise AssertionError  # not reached


def run_ledger(
    env: Mapping[str, str] | None = None,
    ledger_class: type[LedgerService] = LedgerService,
    poll_interval: float = 0.01,
    until_idle: bool = False,
) -> int:
    """Follow the account service's notification log and process each new
    credit and debit; return the conflicts seen (another process recorded
    the same position first). Runs until stopped, or until nothing is left
    to process if `until_idle`."""
    accounts = open_service(AccountService, env)  # only reads the leader's notification log
    ledger = open_service(ledger_class, env)
    ledger.follow(accounts.name, accounts.notification_log)
    conflicts = 0
    print(READY, flush=True)
    try:
        while True:
            try:
                ledger.pull_and_process(accounts.name)
            except IntegrityError:
                conflicts += 1  # another follower got there first: pull again from the new position
                continue
            if until_idle:
                return conflicts
            sleep(poll_interval)
    finally:
        ledger.close()
        accounts.close()


def retry_on_conflict(command: Callable[..., None], *args: Any, attempts: int = 100) -> int:
    """Run an account command; if another writer changed the same account
    between our read and our save, the library refuses the save with an
    IntegrityError and nothing is recorded: read again and retry.
    Return the number of conflicts seen."""
    for conflicts in range(attempts):
        try:
            command(*args)
        except IntegrityError:
            continue
        return conflicts
    msg = f"gave up after {attempts} conflicts"
    raise RuntimeError(msg)


def run_writer(transfers: int, seed: int, env: Mapping[str, str] | None = None) -> dict[str, int]:
    """Make `transfers` random transfers between the accounts that exist
    (refused ones included); return counts of what happened."""
    accounts = open_service(AccountService, env)
    ids: list[UUID] = accounts.list_accounts()
    rng = Random(seed)
    done = refused = conflicts = 0
    try:
        for _ in range(transfers):
            source, destination = rng.sample(ids, 2)
            amount = Decimal(rng.randint(1, 5000)) / 100
            try:
                conflicts += retry_on_conflict(accounts.transfer, source, destination, amount)
            except BankError:
                refused += 1
            else:
                done += 1
    finally:
        accounts.close()
    return {"transfers": done, "refused": refused, "conflicts": conflicts}


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bank.scaling_out", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    ledger = commands.add_parser("ledger", help="follow the account service and keep the ledger")
    ledger.add_argument("--partition", default="1/1", help="K/N: keep partition K of N (default 1/1: all)")
    ledger.add_argument("--until-idle", action="store_true", help="stop once nothing is left to process")
    writer = commands.add_parser("writer", help="transfer money between the existing accounts")
    writer.add_argument("--transfers", type=int, default=100)
    writer.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    # SIGTERM stops a process cleanly (connections closed); SIGKILL is a crash.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if args.command == "ledger":
        index, count = (int(n) for n in args.partition.split("/"))
        conflicts = run_ledger(ledger_class=ledger_partition(index - 1, count), until_idle=args.until_idle)
        print(json.dumps({"conflicts": conflicts}), flush=True)
    else:
        print(json.dumps(run_writer(args.transfers, args.seed)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
