"""PostgreSQL with zero set-up: the embedded server, and clear messages when
the server named cannot be reached."""

import signal
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from bank import EventSourcedBank, InvalidOwnerError, PersistenceConfigError, persistence_env
from bank.persistence import postgres_url_env
from course.postgres import check_reachable, embedded_postgres, postgres_env


def port_nobody_listens_on() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_socket_folder_in_the_url_becomes_the_host():
    env = postgres_url_env("postgresql://postgres:@/postgres?host=/run/pg")
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DBNAME"]) == ("/run/pg", "5432", "postgres")


def test_the_embedded_server_runs_the_bank(postgres_env):
    with EventSourcedBank(postgres_env) as bank:
        alice = bank.accounts.open_account("Alice")
        bank.accounts.deposit(alice, Decimal("12.50"))
        assert bank.ledger.get_balance() == Decimal("12.50")


def test_each_service_keeps_its_own_tables(postgres_env):
    with EventSourcedBank(postgres_env) as bank:
        bank.accounts.open_account("Alice")
    url = f"postgresql://postgres@/postgres?host={postgres_env['POSTGRES_HOST']}"
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY 1",
            [postgres_env["POSTGRES_SCHEMA"]],
        ).fetchall()
    assert [name for (name,) in rows] == [
        "accountservice_events",
        "accountservice_snapshots",
        "ledgerservice_events",
        "ledgerservice_snapshots",
        "ledgerservice_tracking",
        "transactionlogservice_events",
        "transactionlogservice_tracking",
    ]


def test_postgres_env_uses_the_server_it_is_given(postgres_url):
    with postgres_env(postgres_url) as env:
        assert env == persistence_env("postgres", postgres_url)


def test_postgres_env_uses_the_postgres_variables_when_set(postgres_url, monkeypatch):
    for name, value in postgres_url_env(postgres_url).items():
        monkeypatch.setenv(name, value)
    with postgres_env() as env:
        assert env == {"PERSISTENCE_MODULE": "eventsourcing.postgres"}  # the library reads os.environ


def test_the_embedded_server_stops_when_the_block_ends():
    with embedded_postgres() as url:
        check_reachable(persistence_env("postgres", url))
    with pytest.raises(PersistenceConfigError, match="cannot connect to PostgreSQL"):
        check_reachable(persistence_env("postgres", url))


def test_an_unreachable_server_is_reported_at_once_and_clearly():
    port = port_nobody_listens_on()
    with pytest.raises(
        PersistenceConfigError, match=rf"cannot connect to PostgreSQL at 127.0.0.1:{port}: .*Connection refused"
    ):
        check_reachable(persistence_env("postgres", f"postgresql://bank@127.0.0.1:{port}/bank"))


def test_unreachable_server_named_by_the_postgres_variables(monkeypatch):
    port = port_nobody_listens_on()
    for name, value in postgres_url_env(f"postgresql://bank@127.0.0.1:{port}/bank").items():
        monkeypatch.setenv(name, value)
    with pytest.raises(PersistenceConfigError, match=f"127.0.0.1:{port}"):
        check_reachable(persistence_env("postgres"))


HOLD_A_SERVER = """
import time
from course.postgres import embedded_postgres
with embedded_postgres() as url:
    print(url, flush=True)
    time.sleep(600)
"""


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_process_killed_while_holding_a_server_leaves_no_server_or_folder_behind(how):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_A_SERVER], stdout=subprocess.PIPE, text=True)
    url = holder.stdout.readline()  # printed once the server is up
    folder = Path(url.split("host=")[1].strip()).parent
    postmaster = folder / "pgdata" / "postmaster.pid"
    assert postmaster.exists()
    holder.send_signal(how)
    holder.wait(timeout=30)
    deadline = time.monotonic() + 60
    while (folder.exists() or processes_naming(folder)) and time.monotonic() < deadline:
        time.sleep(0.1)  # the watchdog stops the server, removes the folder, then ends
    assert not folder.exists(), "the server's folder was removed"
    assert processes_naming(folder) == "", "no process of that server (or its watchdog) is left"


def processes_naming(folder: Path) -> str:
    return subprocess.run(["pgrep", "-f", str(folder)], capture_output=True, text=True, check=False).stdout


def test_an_owner_of_a_megabyte_is_refused_at_once_on_postgres(postgres_env):
    # Recorded, it would hold the events table's lock while psycopg sends it.
    refused = []
    with EventSourcedBank(postgres_env) as bank:
        opener = threading.Thread(target=lambda: refused.append(_refusal(bank, "x" * 1_000_000)), daemon=True)
        opener.start()
        opener.join(timeout=10)
        assert refused == [True], "refused within 10 s"
        assert bank.accounts.list_accounts() == []


def _refusal(bank: EventSourcedBank, owner: str) -> bool:
    try:
        bank.accounts.open_account(owner)
    except InvalidOwnerError:
        return True
    return False
