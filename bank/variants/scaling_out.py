"""The bank's services as separate OS processes sharing one database (chapter 07).

Writers run the account service alone; each follower runs once, in a process
of its own, with the library's `EventSourcedProjectionRunner`, which follows
the account service through a subscription (on PostgreSQL, LISTEN/NOTIFY; on
SQLite, our polling subscription: `bank.persistence.polling_env`). A
follower's position is its tracking record, recorded with each change it
makes, so a process killed at any point carries on where it stopped.

    python -m bank.scaling_out ledger        # until stopped (Ctrl-C or SIGTERM)
    python -m bank.scaling_out log           # the transaction log, likewise
    python -m bank.scaling_out writer --transfers 100 --seed 7

Each process reads its settings from the library's environment variables:
PERSISTENCE_MODULE and POSTGRES_*, or for SQLite a file per application
(ACCOUNTSERVICE_SQLITE_DBNAME, LEDGERSERVICE_SQLITE_DBNAME, ...; see
`bank.persistence_env`).
"""

import argparse
import json
import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Mapping
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any

from eventsourcing.persistence import IntegrityError, PersistenceError
from eventsourcing.projection import EventSourcedProjectionRunner
from eventsourcing.system import ProcessApplication
from eventsourcing.utils import Environment

from bank.account_service import AccountService
from bank.errors import BankError
from bank.ledger_service import LedgerService
from bank.persistence import PersistenceConfigError, polling_env
from bank.system import check_nothing_was_lost
from bank.transaction_log import TransactionLogService

FOLLOWERS = {"ledger": LedgerService, "log": TransactionLogService}
READY = "ready"


def shared_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """`env` over `os.environ`, for processes that share a database: on SQLite,
    with our polling subscriptions; in memory, refused (nothing is shared)."""
    env = os.environ | dict(env or {})
    module = env.get("PERSISTENCE_MODULE", "eventsourcing.popo")
    if module == "eventsourcing.sqlite":
        return env | polling_env()
    if module != "eventsourcing.postgres":
        msg = "the processes need a database they can share: set PERSISTENCE_MODULE (eventsourcing.sqlite or .postgres)"
        raise PersistenceConfigError(msg)
    return {"POSTGRES_CONNECT_TIMEOUT": "5"} | env  # a server that is not there: said in 5 s, not 30


def check_own_file(follower_class: type[ProcessApplication[Any]], env: Mapping[str, str]) -> None:
    """Refuse to record a follower's events in the account service's SQLite file."""
    leader_file, own_file = (
        Environment(cls.name, env).get("SQLITE_DBNAME") for cls in (AccountService, follower_class)
    )
    if leader_file and own_file and Path(leader_file).resolve() == Path(own_file).resolve():
        msg = f"{follower_class.name} needs a database file of its own, not the account service's ({leader_file})"
        raise PersistenceConfigError(msg)


def run_follower(follower_class: type[ProcessApplication[Any]], env: Mapping[str, str] | None = None) -> None:
    """Follow the account service with the library's runner, until stopped
    (SIGTERM stops it as cleanly as Ctrl-C)."""
    env = shared_env(env)
    check_own_file(follower_class, env)
    with closing(AccountService(env)) as accounts, closing(follower_class(env)) as follower:
        check_nothing_was_lost(accounts, follower)  # before the runner skips anything
    with EventSourcedProjectionRunner(
        application_class=AccountService, projection_class=follower_class, env=env
    ) as runner:
        signal.signal(signal.SIGTERM, lambda *_: runner.stop())
        print(READY, flush=True)
        runner.run_forever()


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
    with closing(AccountService(env)) as accounts:
        ids = accounts.list_accounts()
        if len(ids) < 2:
            msg = f"the writer needs at least two accounts to transfer between, and found {len(ids)}"
            raise BankError(msg)
        print(READY, flush=True)
        rng = Random(seed)
        counts = {"transfers": 0, "refused": 0, "conflicts": 0}
        for _ in range(transfers):
            source, destination = rng.sample(ids, 2)
            try:
                counts["conflicts"] += retry_on_conflict(
                    accounts.transfer, source, destination, Decimal(rng.randint(1, 5000)) / 100
                )
                counts["transfers"] += 1
            except BankError:
                counts["refused"] += 1
    return counts


def whole_number(text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) >= 1):
        msg = f"expected a whole number of at least 1, not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bank.scaling_out", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, cls in FOLLOWERS.items():
        commands.add_parser(name, help=f"run the {cls.name} until stopped")
    writer = commands.add_parser("writer", help="transfer money between the accounts that exist")
    writer.add_argument("--transfers", type=whole_number, default=100)
    writer.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        if args.command == "writer":
            print(json.dumps(run_writer(args.transfers, args.seed, shared_env())), flush=True)
        else:
            run_follower(FOLLOWERS[args.command])
    except KeyboardInterrupt:
        return 130
    except (BankError, PersistenceConfigError, PersistenceError, sqlite3.Error, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
