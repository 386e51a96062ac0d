with EventSourcedBank(runner_class=MultiThreadedRunner) as bank:
    account_id = bank.accounts.open_account("Grace")
    bank.wait_for_ledger()
    with bank.transactions.processing_lock:
        for _ in range(3):
            bank.accounts.deposit(account_id, Decimal("1.00"))
        wait_until_processed(bank.accounts, bank.ledger)
        ledger_count = bank.ledger.get_transaction_count()
        log_lag = follower_lag(bank.accounts, bank.transactions)
print(ledger_count, log_lag)
