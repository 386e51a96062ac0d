followers = [start("ledger", "--until-idle", "--partition", f"{k}/3") for k in (1, 2, 3)]
for process in followers:
    result(process)
shares = [ledger_partition(k, 3)(env=env) for k in range(3)]
total = sum(share.get_balance() for share in shares)
count = sum(share.get_transaction_count() for share in shares)
for share in shares:
    share.close()
