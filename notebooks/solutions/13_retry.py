def withdraw_with_retry(bank, account_id, amount, attempts=3):
    for attempt in range(1, attempts + 1):
        try:
            bank.append(bank.decide_withdrawal(account_id, amount))
        except IntegrityError:
            if attempt == attempts:
                raise
        else:
            return
