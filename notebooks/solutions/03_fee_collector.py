class FeeCollector(ProcessApplication):
    """Charges a fee of 0.50 for every debit, in its own Ledger named "fees"."""

    def fees_ledger(self):
        try:
            return self.repository.get(Ledger.create_id("fees"))
        except AggregateNotFoundError:
            return Ledger("fees")

    @singledispatchmethod
    def policy(self, domain_event, processing_event):
        """Other events: nothing to do."""

    @policy.register
    def _(self, domain_event: Account.Debited, processing_event):
        ledger = self.fees_ledger()
        ledger.add_transaction(Decimal("0.50"))
        processing_event.collect_events(ledger)
