def total_debited(events):
    return sum((event.amount for event in events if isinstance(event, Account.Debited)), Decimal("0"))
