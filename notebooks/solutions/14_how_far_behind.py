with tempfile.TemporaryDirectory() as folder:
    env = persistence_env("sqlite", folder)
    with EventSourcedBank(env) as own_bank:
        live = LiveBank(own_bank)
        for owner in ["Ann", "Ben"]:
            live.open_account(owner)
            live.credit(own_bank.accounts.list_accounts()[-1], "100")
        done = run_writer(env, 10, seed=1)["transfers"]
        behind = live.read().ledger.to_process
        live.catch_up()
        after = live.read().ledger.to_process
