"""AccountService: the application that opens accounts and moves money."""

import threading
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.system import Leader, NotificationLogReader
from eventsourcing.utils import get_topic

from bank.account import Account
from bank.errors import AccountNotFoundError, BankStoppedError, SameAccountTransferError

OPENED_TOPIC = get_topic(Account.Opened)


def one_at_a_time(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run the method while no other of the service's methods runs (in this
    process), and refuse it once the service is closed."""

    @wraps(method)
    def run(self: "AccountService", *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            self.check_not_closed()
            return method(self, *args, **kwargs)

    return run


class AccountService(Leader[UUID]):
    """Commands and queries on accounts. Holds no state of its own:
    everything it knows is read back from recorded events.

    A `Leader` is an `Application` that prompts its followers after each save
    (chapter 04). Its methods run one at a time, so events are recorded, and
    followers prompted, in order; and `close()` waits for the one running.
    """

    snapshotting_intervals: ClassVar = {Account: 50}
    # Keep recently used accounts in memory. A cached account is brought up
    # to date from the database before use ("fast-forward", the default),
    # so this stays correct when several processes write to one database.
    env: ClassVar = {"AGGREGATE_CACHE_MAXSIZE": "1000"}

    def __init__(self, env: Any = None) -> None:
        self.lock = threading.RLock()
        super().__init__(env)

    @one_at_a_time
    def open_account(self, owner: str, overdraft_limit: Decimal = Decimal("0")) -> UUID:
        """Open a new account and return its id."""
        account = Account.open(owner, overdraft_limit)
        self.save(account)
        return account.id

    @one_at_a_time
    def deposit(self, account_id: UUID, amount: Decimal) -> None:
        account = self.get_account(account_id)
        account.credit(amount)
        self.save(account)

    @one_at_a_time
    def withdraw(self, account_id: UUID, amount: Decimal) -> None:
        account = self.get_account(account_id)
        account.debit(amount)
        self.save(account)

    @one_at_a_time
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

    @one_at_a_time
    def set_overdraft_limit(self, account_id: UUID, limit: Decimal) -> None:
        account = self.get_account(account_id)
        account.set_overdraft_limit(limit)
        self.save(account)

    @one_at_a_time
    def close_account(self, account_id: UUID) -> None:
        account = self.get_account(account_id)
        account.close()
        self.save(account)

    @one_at_a_time
    def get_account(self, account_id: UUID, version: int | None = None) -> Account:
        """The account as it is now, or as it was at `version`."""
        try:
            account = self.repository.get(account_id) if isinstance(account_id, UUID) else None
        except AggregateNotFoundError:
            account = None
        if not isinstance(account, Account):
            shown = account_id if isinstance(account_id, UUID) else f"{account_id!r} (ids are UUIDs)"
            raise AccountNotFoundError(f"no account with id {shown}")
        if version is None:
            return account
        if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= account.version:
            msg = f"account {account_id} has versions 1 to {account.version}, not {version!r}"
            raise AccountNotFoundError(msg)
        return account if version == account.version else self.repository.get(account_id, version=version)

    def get_balance(self, account_id: UUID) -> Decimal:
        return self.get_account(account_id).balance

    @one_at_a_time
    def list_accounts(self) -> list[UUID]:
        """Ids of all accounts in opening order, read from the recorded
        `Account.Opened` events (so the list survives a restart)."""
        pages = NotificationLogReader(self.notification_log).select(start=1, topics=[OPENED_TOPIC])
        return [UUID(str(notification.originator_id)) for page in pages for notification in page]

    def check_not_closed(self) -> None:
        if self.closing.is_set():
            msg = f"{self.name} is closed: nothing was read or recorded (a stopped bank stays stopped)"
            raise BankStoppedError(msg)

    def close(self) -> None:
        with self.lock:  # once the method running has returned
            super().close()
