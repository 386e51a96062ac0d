with tempfile.TemporaryDirectory() as folder:
    env = persistence_env("sqlite", folder)
    writer, reader = AccountService(env=env), AccountService(env=env)
    account_id = writer.open_account("Frank")
    for _ in range(5):
        writer.deposit(account_id, Decimal("1.00"))
    reader.get_balance(account_id)  # now it is cached
    for _ in range(3):
        writer.deposit(account_id, Decimal("1.00"))
    with counting_reads(reader) as reads_after:
        balance_after = reader.get_balance(account_id)
    writer.close()
    reader.close()
print(reads_after, balance_after)
