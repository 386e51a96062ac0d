class TotalDeposited(Slice[Decision]):
    def __init__(self, account_id):
        self.account_id = account_id
        self.total = Decimal("0.00")

    def consistency_boundary(self):
        return [Selector(types=[Deposited], tags=[self.account_id])]

    @event(Deposited)
    def _(self, amount):
        self.total += amount
