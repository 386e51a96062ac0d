for stored in wallets.recorder.select_notifications(start=None, limit=100):
    if stored.originator_id == alice_wallet and stored.topic.endswith("Spent"):
        spent = wallets.mapper.transcoder.decode(stored.state)["money"]
