from eventsourcing.domain import event

from bank.dcb import AccountClosed, MoneyDeposited


class Deposit(Slice[Decision]):
    """A deposit, on the library's higher layer."""

    def __init__(self, account_id: str, amount: Decimal) -> None:
        self.account = AccountState(account_id)
        self.amount = to_money(amount)

    def consistency_boundary(self) -> list[Selector]:
        return [opening_or_closing(self.account.account_id)]

    @event(AccountOpened)
    def _(self, owner: str) -> None:
        self.account.owner = owner

    @event(AccountClosed)
    def _(self) -> None:
        self.account.is_closed = True

    def execute(self) -> None:
        self.account.check_is_open()
        account_id = self.account.account_id
        self.trigger_event(MoneyDeposited, [account_id], account_id, self.amount)
