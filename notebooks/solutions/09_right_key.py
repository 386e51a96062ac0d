reader = AccountService(env=persistence_env("sqlite", folder.name) | mapper_env(compress=True, cipher_key=key))
bob_balance = reader.get_balance(bob)
