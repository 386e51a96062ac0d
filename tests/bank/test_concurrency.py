"""One process, any number of threads: a command that returns is recorded,
and processed once by each follower; a refused command records nothing;
stop() while commands are in flight neither crashes the process nor records
a command that raised.

The figures are printed: run with `-s` to see them."""

import json
import os
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path
from random import Random

import pytest
from eventsourcing.system import MultiThreadedRunner, NewSingleThreadedRunner, SingleThreadedRunner
from eventsourcing.utils import get_topic

from bank import Account, BankError, EventSourcedBank
from bank.variants.single_process import SingleProcessBank

# Heavier under the soak profile (HYPOTHESIS_PROFILE=soak), like the property tests.
SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "soak" else 1
THREADS, COMMANDS = 8, 60 * SCALE
SETUPS = [
    (EventSourcedBank, SingleThreadedRunner),
    (EventSourcedBank, MultiThreadedRunner),
    (SingleProcessBank, NewSingleThreadedRunner),
]
SETUP_IDS = [f"{bank.__name__}-{runner.__name__}" for bank, runner in SETUPS]
OPENING = Decimal("100.00")


def command_storm(bank: EventSourcedBank, ids: list, seed: int) -> tuple[Decimal, int]:
    """Random deposits, withdrawals and transfers; returns the money that the
    commands which returned put in (minus what they took out), and how many
    were refused."""
    rng = Random(seed)
    net, refused = Decimal("0.00"), 0
    for _ in range(COMMANDS):
        amount = Decimal(rng.randint(1, 3000)) / 100
        source, destination = rng.sample(ids, 2)
        command = rng.choice(["deposit", "withdraw", "transfer"])
        try:
            if command == "deposit":
                bank.accounts.deposit(source, amount)
                net += amount
            elif command == "withdraw":
                bank.accounts.withdraw(source, amount)
                net -= amount
            else:
                bank.accounts.transfer(source, destination, amount)
        except BankError:
            refused += 1
    return net, refused


@pytest.mark.parametrize(("bank_class", "runner_class"), SETUPS, ids=SETUP_IDS)
def test_threads_commanding_at_once_lose_nothing_and_count_nothing_twice(any_env, bank_class, runner_class):
    results: list[tuple[Decimal, int]] = []
    errors: list[BaseException] = []
    with bank_class(any_env, runner_class=runner_class) as bank:
        ids = [bank.accounts.open_account(f"Owner {n}") for n in range(4)]
        for account_id in ids:
            bank.accounts.deposit(account_id, OPENING)
        start_together = threading.Barrier(THREADS, timeout=30)

        def storm(seed: int) -> None:
            start_together.wait()
            try:
                results.append(command_storm(bank, ids, seed))
            except Exception as error:
                errors.append(error)

        workers = [threading.Thread(target=storm, args=(seed,)) for seed in range(THREADS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        bank.wait_for_ledger(timeout=60)
        balances = [bank.accounts.get_balance(i) for i in ids]
        recorded = bank.accounts.recorder.select_notifications(start=None, limit=10**6)
        money_events = [n for n in recorded if n.topic in {get_topic(Account.Credited), get_topic(Account.Debited)}]
        ledger = (bank.ledger.get_balance(), bank.ledger.get_transaction_count())
        log = len(bank.transactions.get_transactions())
    refused = sum(r for _, r in results)
    print(f"\n{bank_class.__name__}, {runner_class.__name__}: {THREADS} threads x {COMMANDS}, {refused} refused")
    assert errors == []
    assert sum(balances) == len(ids) * OPENING + sum(net for net, _ in results), "exactly what returned is recorded"
    assert ledger == (sum(balances), len(money_events)), "each credit and debit in the ledger once"
    assert log == len(recorded), "each account event in the log once"
    assert 0 < refused < THREADS * COMMANDS


STOP_RACE = Path(__file__).with_name("stop_race.py")
ROUNDS = 8 * SCALE


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
@pytest.mark.parametrize("runner_class", [SingleThreadedRunner, MultiThreadedRunner], ids=lambda cls: cls.__name__)
def test_stop_racing_eight_command_threads_never_crashes_nor_records_a_command_that_raised(backend, runner_class):
    process = subprocess.run(
        [sys.executable, str(STOP_RACE), backend, runner_class.__name__, str(ROUNDS), "7"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert process.returncode == 0, f"the process ended with {process.returncode}: {process.stderr[-2000:]}"
    rounds = [json.loads(line) for line in process.stdout.splitlines()]
    assert len(rounds) == ROUNDS
    for result in rounds:
        assert result["errors"] == []
        assert result["versions"] == [1 + n for n in result["returned"]], "recorded = opened + deposits that returned"
        if backend == "sqlite":
            assert result["ledger"] == sum(result["returned"])
            assert result["log"] == len(result["returned"]) + sum(result["returned"])
    deposits = [sum(r["returned"]) for r in rounds]
    print(f"\n{backend}, {runner_class.__name__}: deposits before stop in each round", deposits)
    assert all(deposits), "the commands were in flight when stop() came"
