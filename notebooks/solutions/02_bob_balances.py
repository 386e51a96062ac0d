bob_balances = [
    accounts.get_account(bob, version=version).balance for version in range(1, accounts.get_account(bob).version + 1)
]
