total_cents = int(query("SELECT SUM(balance_cents) AS total FROM account_summaries")["total"][0])
