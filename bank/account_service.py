"""AccountService: the application that opens accounts and moves money."""

from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.system import NotificationLogReader
from eventsourcing.utils import get_topic

from bank.account import Account
from bank.errors import AccountNotFoundError, SameAccountTransferError

OPENED_TOPIC = get_topic(Account.Opened)


class AccountService(Application[UUID]):
    """Commands and queries on accounts. Holds no state of its own:
    everything it knows is read back from recorded events."""

    snapshotting_intervals: ClassVar = {Account: 50}
    # Keep recently used accounts in memory. A cached account is brought up
    # to date from the database before use ("fast-forward", the default),
    # so this stays correct when several processes write to one database.
    env: ClassVar = {"AGGREGATE_CACHE_MAXSIZE": "1000"}

    def open_account(self, owner: str, overdraft_limit: Decimal = Decimal("0")) -> UUID:
        """Open a new account and return its id."""
        account = Account.open(owner, overdraft_limit)
        self.save(account)
        return account.id

    def deposit(self, account_id: UUID, amount: Decimal) -> None:
        account = self.get_account(account_id)
        account.credit(amount)
        self.save(account)

    def withdraw(self, account_id: UUID, amount: Decimal) -> None:
        account = self.get_account(account_id)
        account.debit(amount)
        self.save(account)

    def transfer(self, from_account_id: UUID, to_account_id: UUID, amount: Decimal) -> None:
        """Move money between two accounts: both changes are saved in one
        atomic recording, or neither is."""
        if from_account_id == to_account_id:
            msg = f"cannot transfer from account {from_account_id} to itself"
            raise SameAccountTransferError(msg)
        source = self.get_account(from_account_id)
        destination = self.get_account(to_account_id)
        source.debit(amount)
        destination.credit(amount)
        self.save(source, destination)

    def set_overdraft_limit(self, account_id: UUID, limit: Decimal) -> None:
        account = self.get_account(account_id)
        account.set_overdraft_limit(limit)
        self.save(account)

    def close_account(self, account_id: UUID) -> None:
        account = self.get_account(account_id)
        account.close()
        self.save(account)

    def get_account(self, account_id: UUID, version: int | None = None) -> Account:
        """The account as it is now, or as it was at `version`."""
        if not isinstance(account_id, UUID):
            msg = f"no account with id {account_id!r}: account ids are UUIDs"
            raise AccountNotFoundError(msg)
        try:
            account = self.repository.get(account_id, version=version)
        except AggregateNotFoundError:
            account = None
        if not isinstance(account, Account):
            msg = f"no account with id {account_id}"
            raise AccountNotFoundError(msg)
        return account

    def get_balance(self, account_id: UUID) -> Decimal:
        return self.get_account(account_id).balance

    def list_accounts(self) -> list[UUID]:
        """Ids of all accounts in opening order, read from the recorded
        `Account.Opened` events (so the list survives a restart)."""
        pages = NotificationLogReader(self.notification_log).select(start=1, topics=[OPENED_TOPIC])
        return [UUID(str(notification.originator_id)) for page in pages for notification in page]
