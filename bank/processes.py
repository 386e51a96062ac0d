"""The bank's services as separate OS processes that share one database.

Each process reads its configuration from the library's environment variables
(see `bank.persistence_env`), so every process finds the same tables:

    python -m bank.processes ledger              # follow the accounts, until stopped
    python -m bank.processes ledger --partition 1/2
    python -m bank.processes writer --transfers 100 --seed 7

The ledger process is a follower loop: it pulls the account service's new
notifications from the database, processes them, sleeps a moment, and again.
Its position is its tracking record, saved with each ledger change, so a
process killed at any point carries on where it stopped when started again.
"""

import argparse
import json
import signal
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from random import Random
from time import sleep
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError, InternalError, ProgrammingError

from bank.account_service import AccountService
from bank.errors import BankError
from bank.ledger_partitions import ledger_partition
from bank.ledger_service import LedgerService, ledger_lag, wait_until_processed

READY = "ready"
__all__ = [
    "READY",
    "ledger_lag",
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bank.processes", description=__doc__.split("\n\n")[0])
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
