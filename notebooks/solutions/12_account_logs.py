class AccountLogs(TransactionLogService):
    """The transaction log, and a log of its own for each account."""

    def account_log(self, account_id):
        return EventSourcedLog(self.events, uuid5(self.LOG_ID, str(account_id)), TransactionLogged)

    def policy(self, domain_event, processing_event):
        entry = self.log_entry(domain_event)
        copy = self.account_log(domain_event.originator_id).trigger_event(
            account_id=entry.account_id,
            account_version=entry.account_version,
            kind=entry.kind,
            amount=entry.amount,
        )
        processing_event.collect_events(entry, copy)

    def get_account_log(self, account_id):
        return list(self.account_log(account_id).get())
