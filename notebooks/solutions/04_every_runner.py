results = {}
for runner_class in RUNNERS:
    with EventSourcedBank(runner_class=runner_class) as bank:
        random_burst(bank, random.Random(42))
        bank.wait_for_ledger()
        results[runner_class.__name__] = (bank.ledger.get_balance(), bank.ledger.get_transaction_count())
results
