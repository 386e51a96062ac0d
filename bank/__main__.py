"""`python -m bank`: the bank's story in a few lines, on any backend."""

import argparse
import sqlite3
import sys
from decimal import Decimal

from eventsourcing.persistence import PersistenceError

from bank.errors import BankError
from bank.persistence import PersistenceConfigError, persistence_env
from bank.system import EventSourcedBank


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bank", description=__doc__.split(": ", 1)[1])
    parser.add_argument(
        "--sqlite", metavar="FOLDER", help="keep the events in SQLite files in FOLDER; run again to see"
    )
    args = parser.parse_args(argv)
    try:
        with EventSourcedBank(persistence_env("sqlite", args.sqlite) if args.sqlite else persistence_env()) as bank:
            tell_the_story(bank)
    except (BankError, PersistenceConfigError, PersistenceError, sqlite3.Error, OSError) as error:
        in_database = isinstance(error, PersistenceError | sqlite3.Error) and args.sqlite
        print(f"error: {error}" + (f" (in the SQLite folder {args.sqlite})" if in_database else ""), file=sys.stderr)
        return 1
    return 0


def tell_the_story(bank: EventSourcedBank) -> None:
    accounts = bank.accounts
    if earlier := accounts.list_accounts():
        print(f"The database holds {len(earlier)} accounts from earlier runs.\n")
    alice = accounts.open_account("Alice")
    bob = accounts.open_account("Bob", overdraft_limit=Decimal("50.00"))
    print("Opened an account for Alice, and one for Bob with an overdraft limit of 50.00.")
    accounts.deposit(alice, Decimal("100.00"))
    accounts.transfer(alice, bob, Decimal("25.50"))
    print("Alice deposits 100.00, then transfers 25.50 to Bob.")
    accounts.withdraw(bob, Decimal("60.00"))
    print(f"Bob withdraws 60.00: his balance is {accounts.get_balance(bob)}, within his overdraft limit.")
    try:
        accounts.withdraw(bob, Decimal("20.00"))
    except BankError as error:
        print(f"Bob tries to withdraw 20.00 more, and is refused: {error}.\nA refused command records nothing.")
    bank.wait_for_ledger()
    print("\nOwner      Balance  Overdraft limit")
    for account in map(accounts.get_account, (alice, bob)):
        print(f"{account.owner:<8} {account.balance:>9} {account.overdraft_limit:>16}")
    print(f"\nThe ledger: balance {bank.ledger.get_balance()}, {bank.ledger.get_transaction_count()} transactions.")
    print("\nThe transaction log (this run's entries)\nPosition  Owner  Version  Kind        Amount")
    owners = {alice: "Alice", bob: "Bob"}
    for entry in (e for e in bank.transactions.get_transactions() if e.account_id in owners):
        amount = "" if entry.amount is None else entry.amount
        print(f"{entry.originator_version:>8}  {owners[entry.account_id]:<5}  {entry.account_version:>7}", end="")
        print(f"  {entry.kind:<9} {amount:>8}")


if __name__ == "__main__":
    sys.exit(main())
