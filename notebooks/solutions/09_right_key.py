reader = AccountService(env=env)  # the same settings: the same file, the same key
bob_balance = reader.get_balance(bob)
