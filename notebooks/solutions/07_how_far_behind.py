before = follower_lag(accounts, ledger)  # what the ledger has yet to process before the writer runs
done = result(start("writer", "--transfers", "20", "--seed", "99"))["transfers"]
position = ledger.recorder.max_tracking_id("AccountService")
pending = accounts.recorder.select_notifications(
    start=position, limit=1000, topics=LedgerService.topics, inclusive_of_start=False
)
behind = len(pending)
