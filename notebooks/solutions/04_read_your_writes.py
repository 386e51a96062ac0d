with EventSourcedBank(runner_class=NewSingleThreadedRunner) as bank:
    account = bank.accounts.open_account("Me")
    for _ in range(3):
        bank.accounts.deposit(account, Decimal("10.00"))
    up_to_date = bank.ledger_is_up_to_date()
    ledger_balance_now = bank.ledger.get_balance()
    runner_name = type(bank.runner).__name__
