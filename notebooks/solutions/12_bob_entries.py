bob_entries = [(entry.kind, entry.amount) for entry in bank.transactions.get_transactions() if entry.account_id == bob]
