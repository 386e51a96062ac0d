def unprocessed(accounts, ledger):
    start = ledger.recorder.max_tracking_id(accounts.name) or 0
    waiting = accounts.recorder.select_notifications(
        start=start, limit=1000, topics=LedgerService.topics, inclusive_of_start=False
    )
    return len(waiting)
