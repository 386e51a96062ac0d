class SQLiteOverdraftLimits(SQLiteTrackingRecorder):
    """A second view: each account's overdraft limit, in cents."""

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            "CREATE TABLE IF NOT EXISTS overdraft_limits (account_id TEXT PRIMARY KEY, limit_cents INTEGER NOT NULL)",
        ]

    def set_limit(self, account_id: UUID, limit: Decimal, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            row = (str(account_id), int(limit / CENT))
            cursor.execute("INSERT OR REPLACE INTO overdraft_limits VALUES (?, ?)", row)
            self._insert_tracking(cursor, tracking)


class OverdraftLimits(Projection[SQLiteOverdraftLimits]):
    topics = (get_topic(Account.Opened), get_topic(Account.OverdraftLimitSet))

    @singledispatchmethod
    def process_event(self, domain_event, tracking):
        self.view.insert_tracking(tracking)

    @process_event.register
    def _(self, domain_event: Account.Opened, tracking):
        self.view.set_limit(domain_event.originator_id, domain_event.overdraft_limit, tracking)

    @process_event.register
    def _(self, domain_event: Account.OverdraftLimitSet, tracking):
        self.view.set_limit(domain_event.originator_id, domain_event.limit, tracking)
