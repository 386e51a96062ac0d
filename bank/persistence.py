"""Choosing where events are stored, the library's way: environment variables.

`persistence_env("sqlite", "data/")` returns the variables that switch the
whole bank to SQLite; pass them to `EventSourcedBank(env=...)` or to one service.
"""

import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from eventsourcing.persistence import ApplicationRecorder, Notification, Subscription
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteProcessRecorder
from eventsourcing.utils import get_topic

BACKENDS = ("memory", "sqlite", "postgres")
SERVICE_NAMES = ("AccountService", "LedgerService", "TransactionLogService")


class PersistenceConfigError(ValueError):
    """The backend named, or where it should store events, cannot be used."""


def persistence_env(backend: str = "memory", location: str | os.PathLike | None = None) -> dict[str, str]:
    """Environment variables that select a persistence backend: "memory" (the
    library's in-memory store), "sqlite" (`location` is a folder, with a
    database file for each service: the library keeps one application per
    file) or "postgres" (`location` is a URL postgresql://user:password@host:port/dbname,
    or else the library reads POSTGRES_* from the environment; each service
    has its own tables in the one database)."""
    if backend == "memory":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if backend == "sqlite":
        if location is None:
            msg = "the sqlite backend needs a folder for its database files"
            raise PersistenceConfigError(msg)
        folder = Path(location)
        try:  # a folder that exists (or can be made) and takes new files
            folder.mkdir(parents=True, exist_ok=True)
            tempfile.TemporaryFile(dir=folder).close()
        except OSError as error:
            msg = f"cannot use {folder} as the SQLite folder: {error.strerror}"
            raise PersistenceConfigError(msg) from None
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_LOCK_TIMEOUT": "10"}
        return env | {f"{name.upper()}_SQLITE_DBNAME": str(folder / f"{name.lower()}.sqlite") for name in SERVICE_NAMES}
    if backend == "postgres":
        env = {"PERSISTENCE_MODULE": "eventsourcing.postgres"}
        return env if location is None else env | postgres_url_env(str(location))
    msg = f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}"
    raise PersistenceConfigError(msg)


def postgres_url_env(url: str) -> dict[str, str]:
    """POSTGRES_* variables from a `postgresql://` URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql") or not parts.path.strip("/"):
        msg = f"not a PostgreSQL URL (postgresql://user:password@host:port/dbname): {url!r}"
        raise PersistenceConfigError(msg)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}  # e.g. ?host=/socket/folder
    return {
        "POSTGRES_DBNAME": parts.path.strip("/"),
        "POSTGRES_HOST": unquote(parts.hostname or query.get("host", "localhost")),
        "POSTGRES_PORT": str(parts.port or query.get("port", 5432)),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
    }


# The library's SQLite recorders cannot be subscribed to (`subscribe` raises
# NotImplementedError); its PostgreSQL and in-memory ones can. These are ours:
# the library's SQLite recorders, with a subscription that polls.


class PollingSubscription(Subscription[ApplicationRecorder]):
    """Yields the notifications after `gt` (of `topics`, if any), then waits for
    more, asking the database every `interval` seconds, until stopped."""

    interval = 0.02

    def __next__(self) -> Notification:
        while not self._has_been_stopped:
            start = self._last_notification_id or 0
            if found := self._recorder.select_notifications(start, 1, topics=self._topics, inclusive_of_start=False):
                self._last_notification_id = found[0].id
                return found[0]
            time.sleep(self.interval)
        raise StopIteration


class PollingSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> PollingSubscription:
        return PollingSubscription(self, gt=gt, topics=topics)


class PollingSQLiteProcessRecorder(SQLiteProcessRecorder):
    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> PollingSubscription:
        return PollingSubscription(self, gt=gt, topics=topics)


def polling_env() -> dict[str, str]:
    """The settings that give SQLite applications our polling subscriptions."""
    return {
        "APPLICATION_RECORDER_TOPIC": get_topic(PollingSQLiteApplicationRecorder),
        "PROCESS_RECORDER_TOPIC": get_topic(PollingSQLiteProcessRecorder),
    }
