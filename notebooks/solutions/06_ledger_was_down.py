from bank import AccountService

with tempfile.TemporaryDirectory() as folder:
    accounts = AccountService(env=persistence_env("sqlite", folder))
    carol = accounts.open_account("Carol")
    for _ in range(3):
        accounts.deposit(carol, Decimal("5.00"))
    accounts.close()
    with EventSourcedBank(persistence_env("sqlite", folder)) as bank:
        ledger_balance = bank.ledger.get_balance()
        log_entries = len(bank.transactions.get_transactions())
print(ledger_balance, log_entries)
