behind, after = None, None
with tempfile.TemporaryDirectory() as folder:
    env = persistence_env("sqlite", folder)
    with EventSourcedBank(env) as own_bank, AccountService(env=env) as other_writer:
        live = LiveBank(own_bank)
        for owner in ["Ann", "Ben"]:
            live.open_account(owner)
            live.credit(own_bank.accounts.list_accounts()[-1], "100")
        ann, ben = own_bank.accounts.list_accounts()
        for _ in range(3):
            other_writer.transfer(ann, ben, Decimal("10.00"))
        behind = live.read().ledger.to_process
        live.catch_up()
        after = live.read().ledger.to_process
