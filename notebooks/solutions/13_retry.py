def withdraw_with_retry(bank, account_id, amount, attempts=3):
    for attempt in range(1, attempts + 1):
        account = bank.get_account(account_id)  # read afresh each time
        account.withdraw(amount)
        try:
            bank.repository.save(account)
        except IntegrityError:
            if attempt == attempts:
                raise
        else:
            return
