def balance_from_log(entries, account_id) -> Decimal:
    signs = {"credited": 1, "debited": -1}
    moves = [entry for entry in entries if entry.account_id == account_id and entry.kind in signs]
    return sum((signs[entry.kind] * entry.amount for entry in moves), Decimal("0.00"))
