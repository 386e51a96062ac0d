balance_v3 = accounts.get_account(alice, version=3).balance
