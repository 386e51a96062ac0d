"""`python -m bank`: a short demonstration of the event-sourced bank."""

import sys
from decimal import Decimal

from bank.cli import ArgumentParser, run_command
from bank.errors import BankError
from bank.history import account_history
from bank.persistence import persistence_env
from bank.system import EventSourcedBank


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(
        prog="python -m bank",
        description=(
            "Open a few accounts, move money between them, and show the balances, "
            "the ledger and one account's event history."
        ),
    )
    parser.add_argument(
        "--sqlite",
        metavar="FOLDER",
        help="keep the events in SQLite files in FOLDER (created if missing); "
        "run again with the same FOLDER to see the accounts recorded before",
    )
    args = parser.parse_args(argv)
    return run_command(lambda: demo(args.sqlite))


def demo(folder: str | None) -> int:
    env = persistence_env("sqlite", folder) if folder else persistence_env("memory")
    with EventSourcedBank(env) as bank:
        accounts = bank.accounts
        before = accounts.list_accounts()
        if before:
            print(f"Found {len(before)} accounts recorded by earlier runs.")
        alice = accounts.open_account("Alice")
        bob = accounts.open_account("Bob", overdraft_limit=Decimal("50.00"))
        accounts.deposit(alice, Decimal("100.00"))
        accounts.withdraw(alice, Decimal("30.00"))
        accounts.transfer(alice, bob, Decimal("25.50"))
        accounts.withdraw(bob, Decimal("60.00"))
        try:
            accounts.withdraw(alice, Decimal("1000.00"))
        except BankError as error:
            print(f"Refused, as it should be: {type(error).__name__}: {error}")
        bank.wait_for_ledger()

        print("\nBalances")
        for number, account_id in enumerate(accounts.list_accounts(), 1):
            account = accounts.get_account(account_id)
            print(f"  {number:>3}. {account.owner:<8} {account.balance:>10}")
        print(f"\nLedger balance {bank.ledger.get_balance()} after {bank.ledger.get_transaction_count()} transactions")
        print("\nEvents of the account Alice opened in this run")
        print(account_history(accounts, alice).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
