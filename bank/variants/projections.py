"""Projections: read models kept up to date from the account service's events.

`AccountSummaries` is a materialised view of every account (owner, balance,
number of transactions) in an SQL table, run by the library's projection
module. Each change to the table is recorded in the same database
transaction as the position of the event that caused it (tracking), so the
projection can stop and restart anywhere without missing or double-counting
an event.

A projection runner follows an application through a subscription, which
yields the application's recorded events, then new ones as they are
recorded. The library's PostgreSQL recorder hears of them by LISTEN/NOTIFY
and its in-memory recorder by a callback, but its SQLite recorder leaves
`subscribe` unimplemented (it raises NotImplementedError): the bank's
`polling_env()` gives SQLite applications a subscription of ours that polls.

A projection with `topics` is given, and so tracks, only the events of those
topics: `last_position` says which position it has reached once caught up.
"""

import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import ApplicationRecorder, Tracking
from eventsourcing.projection import Projection
from eventsourcing.sqlite import SQLiteTrackingRecorder
from eventsourcing.utils import get_topic

from bank.account import Account
from bank.money import CENT
from bank.persistence import persistence_env, polling_env


@dataclass(frozen=True)
class AccountSummary:
    owner: str
    balance: Decimal
    transactions: int


class SQLiteAccountSummaries(SQLiteTrackingRecorder):
    """The view: the `account_summaries` table and the library's `tracking`
    table, in one SQLite database. Money is kept in whole cents (an exact
    integer that SQL can add up)."""

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS account_summaries ("
            "account_id TEXT PRIMARY KEY, "
            "owner TEXT NOT NULL, "
            "balance_cents INTEGER NOT NULL, "
            "transactions INTEGER NOT NULL)",
        ]

    def add_account(self, account_id: UUID, owner: str, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute("INSERT INTO account_summaries VALUES (?, ?, 0, 0)", (str(account_id), owner))
            self._insert_tracking(cursor, tracking)

    def add_transaction(self, account_id: UUID, amount: Decimal, tracking: Tracking) -> None:
        """Add `amount` (negative for a debit) to the balance, and count it."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                "UPDATE account_summaries "
                "SET balance_cents = balance_cents + ?, transactions = transactions + 1 "
                "WHERE account_id = ?",
                (int(amount / CENT), str(account_id)),
            )
            self._insert_tracking(cursor, tracking)

    def get_summary(self, account_id: UUID) -> AccountSummary | None:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                "SELECT owner, balance_cents, transactions FROM account_summaries WHERE account_id = ?",
                (str(account_id),),
            )
            row = cursor.fetchone()
        if row is None:
            return None
        return AccountSummary(row["owner"], Decimal(row["balance_cents"]) * CENT, row["transactions"])


class AccountSummaries(Projection[SQLiteAccountSummaries]):
    """Turns each account event into one change of the view."""

    # Only these events are read from the account service.
    topics = (get_topic(Account.Opened), get_topic(Account.Credited), get_topic(Account.Debited))

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """An event of another kind changes no summary; only its position is
        recorded. (The runner delivers none while `topics` leaves them out.)"""
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, domain_event: Account.Opened, tracking: Tracking) -> None:
        self.view.add_account(domain_event.originator_id, domain_event.owner, tracking)

    @process_event.register
    def _(self, domain_event: Account.Credited, tracking: Tracking) -> None:
        self.view.add_transaction(domain_event.originator_id, domain_event.amount, tracking)

    @process_event.register
    def _(self, domain_event: Account.Debited, tracking: Tracking) -> None:
        self.view.add_transaction(domain_event.originator_id, -domain_event.amount, tracking)


def last_position(recorder: ApplicationRecorder, topics: Sequence[str] = (), after: int | None = None) -> int | None:
    """The position of the last recorded event of one of `topics` (of any
    topic if none are given), after `after`; `after` itself if there is none.

    A projection that follows `topics` tracks exactly this position once it
    has caught up: wait for it, not for the log's `max_notification_id()`,
    which may be an event the projection never receives.
    """
    last = after
    while page := recorder.select_notifications(start=last, limit=500, topics=topics, inclusive_of_start=False):
        last = page[-1].id
    return last


def summaries_env(folder: str | os.PathLike) -> dict[str, str]:
    """Settings for the account service and the view, as SQLite files in `folder`:
    the view in `accountsummaries.sqlite`, read with `pd.read_sql` or `sqlite3`."""
    return persistence_env("sqlite", folder) | polling_env() | view_env(folder)


def view_env(folder: str | os.PathLike) -> dict[str, str]:
    """Settings for the view alone, in `folder`/accountsummaries.sqlite,
    whatever database the account service uses: the runner looks up the
    view's settings with the projection's name as prefix first."""
    prefix = AccountSummaries.name.upper()
    return {
        f"{prefix}_PERSISTENCE_MODULE": "eventsourcing.sqlite",
        f"{prefix}_SQLITE_DBNAME": str(Path(folder) / "accountsummaries.sqlite"),
    }
