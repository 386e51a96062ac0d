import tempfile

from bank import persistence_env

with tempfile.TemporaryDirectory() as folder:
    env = persistence_env("sqlite", folder)
    writer, reader = AccountService(env=env), AccountService(env=env)
    trusting = AccountService(env=env | {"AGGREGATE_CACHE_FASTFORWARD": "n"})
    account_id = writer.open_account("Erin")
    for _ in range(5):
        writer.deposit(account_id, Decimal("1.00"))
    reader.get_balance(account_id)  # now both readers have it cached
    trusting.get_balance(account_id)
    for _ in range(3):
        writer.deposit(account_id, Decimal("1.00"))
    balance_reader, balance_trusting = reader.get_balance(account_id), trusting.get_balance(account_id)
    for service in (writer, reader, trusting):
        service.close()
print(balance_reader, balance_trusting)
