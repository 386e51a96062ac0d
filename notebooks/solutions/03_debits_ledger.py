class DebitsLedger(LedgerService):
    topics = (get_topic(Account.Debited),)
