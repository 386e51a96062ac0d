table = query("SELECT * FROM account_summaries")
overdrawn = table[table["balance_cents"] < 0]["owner"].tolist()
