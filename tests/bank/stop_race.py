"""Run as `python stop_race.py BACKEND RUNNER ROUNDS SEED`: in each round,
8 threads deposit into their own accounts as fast as they can while the
main thread stops the bank. Prints one JSON line per round: the deposits
that returned, the versions recorded, and the errors other than
BankStoppedError (there must be none). A crash of the process (a
segfault, say) ends it with no JSON."""

import json
import sys
import tempfile
import threading
import time
from decimal import Decimal
from random import Random

from eventsourcing import system

from bank import AccountService, BankStoppedError, EventSourcedBank, persistence_env

THREADS = 8


def one_round(backend: str, runner_class: type, pause: float) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        env = persistence_env(backend, folder if backend == "sqlite" else None)
        bank = EventSourcedBank(env, runner_class=runner_class)
        bank.start()
        ids = [bank.accounts.open_account(f"Owner {n}") for n in range(THREADS)]
        returned = [0] * THREADS
        errors: list[str] = []

        def deposit(n: int) -> None:
            while True:
                try:
                    bank.accounts.deposit(ids[n], Decimal("1.00"))
                except BankStoppedError:
                    return
                except Exception as error:
                    errors.append(f"{type(error).__name__}: {error}")
                    return
                returned[n] += 1

        threads = [threading.Thread(target=deposit, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        time.sleep(pause)
        bank.stop()
        for thread in threads:
            thread.join()
        result = {"returned": returned, "errors": errors, "ledger": None, "log": None}
        if backend == "sqlite":  # what was recorded, read by a new service
            accounts = AccountService(env)
            result["versions"] = [accounts.get_account(i).version for i in ids]
            accounts.close()
            with EventSourcedBank(env) as restarted:  # its followers catch up with all that was recorded
                result["ledger"] = restarted.ledger.get_transaction_count()
                result["log"] = len(restarted.transactions.get_transactions())
        else:  # memory: the stopped bank's store still holds its events
            result["versions"] = [bank.accounts.repository.get(i).version for i in ids]
        return result


if __name__ == "__main__":
    backend, runner_name, rounds, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rng = Random(seed)
    for _ in range(rounds):
        print(json.dumps(one_round(backend, getattr(system, runner_name), rng.uniform(0.01, 0.1))), flush=True)
