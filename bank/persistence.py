"""Choosing where events are stored, the library's way: environment variables.

`persistence_env("sqlite", "data/")` returns the variables that switch the
whole bank to SQLite; pass them to `EventSourcedBank(env=...)` or to one service.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

BACKENDS = ("memory", "sqlite", "postgres")
SERVICE_NAMES = ("AccountService", "LedgerService", "TransactionLogService")


class PersistenceConfigError(ValueError):
    """The backend named, or where it should store events, cannot be used."""


def persistence_env(backend: str = "memory", location: str | os.PathLike | None = None) -> dict[str, str]:
    """Environment variables that select a persistence backend.

    - "memory": the library's in-memory store (events vanish when the process ends).
    - "sqlite": `location` is a folder; each service keeps its own database file
      in it (`accountservice.sqlite`, `ledgerservice.sqlite`), because the
      library's SQLite module keeps one application per file.
    - "postgres": `location` is a URL `postgresql://user:password@host:port/dbname`;
      without one, the usual POSTGRES_* variables are read from the environment.
      Each service gets its own tables in the one database
      (`accountservice_events`, `ledgerservice_events`, ...).
    """
    if backend == "memory":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if backend == "sqlite":
        return _sqlite_env(location)
    if backend == "postgres":
        return _postgres_env(location)
    msg = f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}"
    raise PersistenceConfigError(msg)


def _sqlite_env(location: str | os.PathLike | None) -> dict[str, str]:
    if location is None:
        msg = "the sqlite backend needs a folder for its database files"
        raise PersistenceConfigError(msg)
    folder = writable_folder(location, "the SQLite folder")
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_LOCK_TIMEOUT": "10"}
    for name in SERVICE_NAMES:
        env[f"{name.upper()}_SQLITE_DBNAME"] = str(folder / f"{name.lower()}.sqlite")
    return env


def writable_folder(location: str | os.PathLike, what: str) -> Path:
    """`location` as a folder that exists (it is created if missing) and takes
    new files; otherwise PersistenceConfigError, saying why, about `what`."""
    folder = Path(location)
    if folder.exists() and not folder.is_dir():
        msg = f"cannot use {folder} as {what}: it is not a folder"
        raise PersistenceConfigError(msg)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        msg = f"cannot create {what} {folder}: {error.strerror}"
        raise PersistenceConfigError(msg) from None
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        msg = f"cannot write in {what} {folder}: {error.strerror}"
        raise PersistenceConfigError(msg) from None
    return folder


def _postgres_env(location: str | os.PathLike | None) -> dict[str, str]:
    env = {"PERSISTENCE_MODULE": "eventsourcing.postgres"}
    if location is None:
        missing = [k for k in ("POSTGRES_DBNAME", "POSTGRES_HOST", "POSTGRES_USER") if not os.environ.get(k)]
        if missing:
            msg = f"the postgres backend needs a URL or the variables {', '.join(missing)}"
            raise PersistenceConfigError(msg)
        _check_postgres_is_reachable({k: v for k, v in os.environ.items() if k.startswith("POSTGRES_")})
        return env
    env |= postgres_url_env(str(location))
    _check_postgres_is_reachable(env)
    return env


def _check_postgres_is_reachable(env: dict[str, str], timeout: int = 3) -> None:
    """Connect once, so that a wrong address fails now, quickly and clearly,
    rather than after the library's 30 s connect timeout and retries."""
    try:
        import psycopg  # noqa: PLC0415 (optional extra "postgres")
    except ImportError:
        msg = "the postgres backend needs the 'postgres' extra: pip install 'event-sourced-bank[postgres]'"
        raise PersistenceConfigError(msg) from None
    where = f"{env.get('POSTGRES_HOST')}:{env.get('POSTGRES_PORT') or 5432}"
    try:
        psycopg.connect(
            dbname=env.get("POSTGRES_DBNAME"),
            host=env.get("POSTGRES_HOST"),
            port=env.get("POSTGRES_PORT") or "5432",
            user=env.get("POSTGRES_USER"),
            password=env.get("POSTGRES_PASSWORD", ""),
            connect_timeout=timeout,
        ).close()
    except psycopg.Error as error:
        # psycopg says 'connection failed: connection to server at ... failed: <reason>\n\t<hint>'
        first, *hints = str(error).strip().splitlines() or [type(error).__name__]
        reason = " ".join([first.rsplit("failed: ", 1)[-1].rstrip(".") + ".", *(h.strip() for h in hints)])
        msg = f"cannot connect to PostgreSQL at {where} (database {env.get('POSTGRES_DBNAME')!r}): {reason}"
        raise PersistenceConfigError(msg) from None


def postgres_url_env(url: str) -> dict[str, str]:
    """POSTGRES_* variables from a `postgresql://` URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql") or not parts.path.strip("/"):
        msg = f"not a PostgreSQL URL (postgresql://user:password@host:port/dbname): {url!r}"
        raise PersistenceConfigError(msg)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}  # e.g. ?host=/socket/folder
    env = {
        "POSTGRES_DBNAME": parts.path.strip("/"),
        "POSTGRES_HOST": unquote(parts.hostname or query.get("host", "localhost")),
        "POSTGRES_PORT": str(parts.port or query.get("port", 5432)),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
    }
    return env
