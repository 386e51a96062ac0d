"""The bank's services as separate OS processes that share one database.

Each process reads its configuration from the library's environment
variables (see `bank.persistence_env`), so every process finds the same
tables:

    python -m bank.scaling_out ledger              # follow the accounts, until stopped
    python -m bank.scaling_out ledger --partition 1/2
    python -m bank.scaling_out writer --transfers 100 --seed 7

The ledger process is the library's `EventSourcedProjectionRunner`: it
subscribes to the account service's events (on PostgreSQL, LISTEN/NOTIFY:
each insert into the events table notifies the listeners; on SQLite, the
polling subscription of `bank.projections`) and processes each one as it
is recorded. Its position is its tracking record, saved with each ledger
change, so a process killed at any point carries on where it stopped.

Several ledgers instead of one is the course's own idea, not the library's:
one `Ledger` aggregate records every transaction, so its follower must
process them one after another. `ledger_partition(k, n)` keeps the
transactions of the accounts in share `k` of `n` (by account id), in its
own ledger and its own tables, so `n` followers run side by side and the
bank's balance is the sum of theirs.
"""

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from random import Random
from typing import Any
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError
from eventsourcing.projection import EventSourcedProjectionRunner

from bank.account_service import AccountService
from bank.cli import ArgumentParser, run_command
from bank.errors import BankError
from bank.ledger_service import LedgerService
from bank.persistence import PersistenceConfigError, persistence_env
from bank.projections import polling_env
from bank.safe_system import safe

READY = "ready"


class LedgerPartition(LedgerService):
    """A ledger service that records only its share of the accounts; other
    accounts' events are tracked, and change nothing."""

    partition = 0
    partitions = 1

    def policy(self, domain_event: DomainEventProtocol[UUID], processing_event: ProcessingEvent[UUID]) -> None:
        if partition_of(domain_event.originator_id, self.partitions) == self.partition:
            super().policy(domain_event, processing_event)


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


def ledger_runner(
    env: Mapping[str, str] | None = None, ledger_class: type[LedgerService] = LedgerService
) -> EventSourcedProjectionRunner:
    """The library's runner for one ledger process: it follows the account
    service through a subscription. Use it in a `with` block."""
    env = dict(env or {})
    if (env.get("PERSISTENCE_MODULE") or os.environ.get("PERSISTENCE_MODULE")) == "eventsourcing.sqlite":
        env |= polling_env()  # the library's SQLite recorder cannot be subscribed to
    return EventSourcedProjectionRunner(
        application_class=safe(AccountService), projection_class=safe(ledger_class), env=env
    )


def run_ledger(
    env: Mapping[str, str] | None = None,
    ledger_class: type[LedgerService] = LedgerService,
    until_idle: bool = False,
) -> int:
    """Follow the account service and keep the ledger, until stopped (SIGTERM
    or Ctrl-C); or, if `until_idle`, catch up once with what is recorded and
    return. Returns the conflicts seen: events another process processed first."""
    if until_idle:
        accounts, ledger = safe(AccountService)(env), safe(ledger_class)(env)
        try:
            ledger.follow(accounts.name, accounts.notification_log)
            ledger.pull_and_process(accounts.name)
            return ledger.conflicts
        finally:
            ledger.close()
            accounts.close()
    with ledger_runner(env, ledger_class) as runner:
        try:
            print(READY, flush=True)  # (in the `try`: a signal may come right after)
            runner.run_forever()
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (see `bank.cli`): a clean stop
            runner.stop()
        return runner.projection.conflicts


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
    accounts = safe(AccountService)(env)
    try:
        ids: list[UUID] = accounts.list_accounts()
        if len(ids) < 2:
            msg = f"the writer needs at least two accounts to transfer between, and found {len(ids)}"
            raise BankError(msg)
        print(READY, flush=True)
        rng = Random(seed)
        done = refused = conflicts = 0
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


def shared_database() -> None:
    """Check that the environment names a database other processes can share,
    and that it can be reached (quickly: not after the library's 30 s)."""
    module = os.environ.get("PERSISTENCE_MODULE", "eventsourcing.popo")
    if module == "eventsourcing.postgres":
        persistence_env("postgres")  # raises PersistenceConfigError, with the reason
    elif module != "eventsourcing.sqlite":
        msg = (
            "the processes need a database they can share: set PERSISTENCE_MODULE and its variables "
            "(see bank.persistence_env), e.g. eventsourcing.postgres and POSTGRES_*"
        )
        raise PersistenceConfigError(msg)


def partition_argument(text: str) -> tuple[int, int]:
    """'K/N' -> (K - 1, N), for `--partition`."""
    try:
        index, count = (int(n) for n in text.split("/"))
    except ValueError:
        msg = f"expected K/N, e.g. 1/2, not {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if not 1 <= index <= count:
        msg = f"K/N needs 1 <= K <= N, not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return index - 1, count


def positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        msg = f"expected a whole number of at least 1, not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return number


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="python -m bank.scaling_out", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    ledger = commands.add_parser("ledger", help="follow the account service and keep the ledger")
    ledger.add_argument("--partition", type=partition_argument, default=(0, 1), help="K/N: keep share K of N")
    ledger.add_argument("--until-idle", action="store_true", help="catch up once, then stop")
    writer = commands.add_parser("writer", help="transfer money between the existing accounts")
    writer.add_argument("--transfers", type=positive_int, default=100)
    writer.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    def command() -> int:
        shared_database()
        if args.command == "ledger":
            conflicts = run_ledger(ledger_class=ledger_partition(*args.partition), until_idle=args.until_idle)
            print(json.dumps({"conflicts": conflicts}), flush=True)
        else:
            print(json.dumps(run_writer(args.transfers, args.seed)), flush=True)
        return 0

    return run_command(command)


if __name__ == "__main__":
    sys.exit(main())
