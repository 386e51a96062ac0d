follower.terminate()
follower.wait()
writer = start("writer", "--transfers", "20", "--seed", "99")
done = json.loads(writer.communicate()[0])["transfers"]
position = ledger.recorder.max_tracking_id("AccountService")
pending = accounts.recorder.select_notifications(
    start=position, limit=1000, topics=LedgerService.topics, inclusive_of_start=False
)
behind = len(pending)
