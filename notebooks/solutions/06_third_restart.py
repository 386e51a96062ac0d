with EventSourcedBank(persistence_env("sqlite", sqlite_folder)) as bank:
    carol = bank.accounts.open_account("Carol")
    bank.accounts.deposit(carol, Decimal("5.00"))
with EventSourcedBank(persistence_env("sqlite", sqlite_folder)) as bank:
    carol_balance = bank.accounts.get_balance(carol)
    accounts_count = len(bank.accounts.list_accounts())
