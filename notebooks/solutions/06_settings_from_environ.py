from unittest import mock

with tempfile.TemporaryDirectory() as folder, mock.patch.dict(os.environ, persistence_env("sqlite", folder)):
    with EventSourcedBank() as bank:
        dave = bank.accounts.open_account("Dave")
        bank.accounts.deposit(dave, Decimal("5.00"))
    with EventSourcedBank() as bank:
        balance_after_restart = bank.accounts.get_balance(bank.accounts.list_accounts()[0])
print(balance_after_restart)
