names = {row.account_id: row.name for row in page.live.read().accounts}
balances = {}
for entry in bank.transactions.get_transactions():
    name = names[entry.account_id]
    balances.setdefault(name, Decimal("0.00"))
    if entry.kind == "credited":
        balances[name] += entry.amount
    elif entry.kind == "debited":
        balances[name] -= entry.amount
