def first_negative_version(events):
    account = None
    for recorded in events:
        account = recorded.mutate(account)
        if account.balance < 0:
            return account.version
    return None
