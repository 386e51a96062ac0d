"""A command either happens or raises: with several threads on every runner,
with several processes each running the bank on one database, after the
bank has stopped, and after its accounts database was lost.

The figures are printed: run with `-s` to see them."""

import json
import os
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from eventsourcing.system import (
    MultiThreadedRunner,
    NewMultiThreadedRunner,
    NewSingleThreadedRunner,
    SingleThreadedRunner,
)

from bank import AccountService, BankError, EventSourcedBank, SingleProcessBank
from bank.errors import BankStoppedError, LostEventsError

# Heavier under the soak profile (HYPOTHESIS_PROFILE=soak), like the property tests.
SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "soak" else 1
THREADS, DEPOSITS = 4, 250 * SCALE
SETUPS = [
    (EventSourcedBank, SingleThreadedRunner),
    (EventSourcedBank, NewSingleThreadedRunner),
    (EventSourcedBank, MultiThreadedRunner),
    (EventSourcedBank, NewMultiThreadedRunner),
    (SingleProcessBank, NewSingleThreadedRunner),
]
SETUP_IDS = [f"{bank.__name__}-{runner.__name__}" for bank, runner in SETUPS]


def figures(bank: EventSourcedBank, ids) -> tuple:
    bank.wait_for_ledger(timeout=60)
    return (
        [bank.accounts.get_balance(i) for i in ids],
        bank.ledger.get_balance(),
        bank.ledger.get_transaction_count(),
        len(bank.transactions.get_transactions()),
        bank.ledger_is_up_to_date(),
    )


@pytest.fixture(params=["memory", "sqlite"])
def threads_env(request, fresh_env):
    with fresh_env(request.param) as env:
        yield env


@pytest.mark.parametrize(("bank_class", "runner_class"), SETUPS, ids=SETUP_IDS)
def test_threads_depositing_at_once_lose_nothing_and_see_no_error(threads_env, bank_class, runner_class):
    errors: list[BaseException] = []
    with bank_class(threads_env, runner_class=runner_class) as bank:
        ids = [bank.accounts.open_account(f"Owner {n}") for n in range(THREADS)]
        start_together = threading.Barrier(THREADS, timeout=30)

        def deposit_into(account_id) -> None:
            start_together.wait()
            for _ in range(DEPOSITS):
                try:
                    bank.accounts.deposit(account_id, Decimal("1.00"))
                except Exception as error:
                    errors.append(error)

        workers = [threading.Thread(target=deposit_into, args=(i,)) for i in ids]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        after = figures(bank, ids)
    print(f"\n{bank_class.__name__}, {runner_class.__name__}: {THREADS} threads x {DEPOSITS} deposits, {errors!r}")
    assert errors == []
    total = THREADS * DEPOSITS
    assert after == ([Decimal(DEPOSITS)] * THREADS, Decimal(total), total, THREADS + total, True)
    if threads_env["PERSISTENCE_MODULE"] != "eventsourcing.popo":
        with bank_class(threads_env, runner_class=runner_class) as restarted:
            assert figures(restarted, ids) == after


PROCESSES, COMMANDS = 2, 150 * SCALE
BANK_PROCESS = Path(__file__).with_name("bank_process.py")


def test_processes_each_running_the_bank_on_one_database_record_exactly_what_returned(durable_env):
    accounts = AccountService(env=durable_env)
    ids = [accounts.open_account(f"Owner {n}") for n in range(4)]
    for account_id in ids:
        accounts.deposit(account_id, Decimal("1000.00"))
    accounts.close()
    processes = [
        subprocess.Popen(
            [sys.executable, str(BANK_PROCESS), str(seed), str(COMMANDS)],
            env=os.environ | durable_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in range(PROCESSES)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err[-2000:]
        results.append(json.loads(out.splitlines()[-1]))
    deposited = sum(Decimal(r["deposited"]) for r in results)
    withdrawn = sum(Decimal(r["withdrawn"]) for r in results)
    print(f"\n{durable_env['PERSISTENCE_MODULE']}: {PROCESSES} banks x {COMMANDS} commands, {results}")
    with EventSourcedBank(durable_env) as bank:
        balances, ledger, _, _, up_to_date = figures(bank, ids)
    assert sum(balances) == Decimal("4000.00") + deposited - withdrawn, "only the commands that returned were recorded"
    assert ledger == sum(balances)
    assert up_to_date


@pytest.mark.parametrize("runner_class", [s[1] for s in SETUPS[:4]], ids=lambda cls: cls.__name__)
def test_a_command_after_stop_raises_and_records_nothing(any_env, runner_class):
    bank = EventSourcedBank(any_env, runner_class=runner_class)
    with bank:
        alice = bank.accounts.open_account("Alice")
        recorded = bank.accounts.recorder.max_notification_id()
    with pytest.raises(BankStoppedError, match="AccountService has been stopped"):
        bank.accounts.deposit(alice, Decimal("5.00"))
    with pytest.raises(BankStoppedError, match="LedgerService has been stopped"):
        bank.ledger.get_balance()
    with pytest.raises(BankStoppedError, match="has been stopped"):
        bank.catch_up()
    if any_env["PERSISTENCE_MODULE"] == "eventsourcing.popo":  # the events live in this bank's memory
        assert bank.accounts.recorder.max_notification_id() == recorded
    else:
        with EventSourcedBank(any_env, runner_class=runner_class) as restarted:
            assert restarted.accounts.recorder.max_notification_id() == recorded
            assert restarted.accounts.get_balance(alice) == Decimal("0.00")


@pytest.mark.parametrize("loss", ["deleted", "emptied"])
def test_a_lost_accounts_database_stops_the_bank_from_starting(sqlite_env, loss):
    with EventSourcedBank(sqlite_env) as bank:
        alice = bank.accounts.open_account("Alice")
        for _ in range(3):
            bank.accounts.deposit(alice, Decimal("10.00"))
    database = Path(sqlite_env["ACCOUNTSERVICE_SQLITE_DBNAME"])
    if loss == "deleted":
        database.unlink()
    else:
        database.write_bytes(b"")
    bank = EventSourcedBank(sqlite_env)
    with pytest.raises(LostEventsError, match="up to position 4, but AccountService has only 0"):
        bank.start()
    assert isinstance(LostEventsError("x"), BankError)
