"""Run as `python bank_process.py SEED COMMANDS`, with the backend in the
environment: one whole EventSourcedBank in this process, making COMMANDS
random deposits, withdrawals and transfers between the accounts that exist
(several such processes share one database). Prints, as JSON, the money it
knows it put in and took out: what returned, not what raised."""

import json
import sys
from decimal import Decimal
from random import Random

from bank import BankError, EventSourcedBank
from bank.scaling_out import retry_on_conflict

seed, commands = int(sys.argv[1]), int(sys.argv[2])
rng = Random(seed)
deposited = withdrawn = Decimal("0.00")
refused = 0
with EventSourcedBank() as bank:
    print("ready", flush=True)
    ids = bank.accounts.list_accounts()
    for _ in range(commands):
        amount = Decimal(rng.randint(1, 5000)) / 100
        source, destination = rng.sample(ids, 2)
        command = rng.choice(["deposit", "withdraw", "transfer"])
        try:
            if command == "deposit":
                retry_on_conflict(bank.accounts.deposit, source, amount)
                deposited += amount
            elif command == "withdraw":
                retry_on_conflict(bank.accounts.withdraw, source, amount)
                withdrawn += amount
            else:
                retry_on_conflict(bank.accounts.transfer, source, destination, amount)
        except BankError:
            refused += 1
print(json.dumps({"deposited": str(deposited), "withdrawn": str(withdrawn), "refused": refused}), flush=True)
