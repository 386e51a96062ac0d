"""The live bank's logic, apart from its widgets: what its three panels show
(Accounts, Ledger, Events) and the commands its buttons run, each returning
the message the page shows. `course.dashboard` draws it; tests and
notebooks use it directly.

    live = LiveBank(bank)               # a running EventSourcedBank
    live.open_account("Alice")          # 'Opened account 1 · Alice'
    live.credit(account_id, "12.50")    # amounts typed as text become Decimal
    print(live.read())                  # the three panels, as text (no times)
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal, InvalidOperation
from uuid import UUID

from bank.errors import AccountNotFoundError, BankError, InvalidAmountError
from bank.money import to_money
from bank.persistence import persistence_env
from bank.system import EventSourcedBank
from bank.variants.scaling_out import retry_on_conflict

# Where the events are stored, by the module of the library's recorder.
STORAGE = {"eventsourcing.popo": "memory", "eventsourcing.sqlite": "SQLite", "eventsourcing.postgres": "PostgreSQL"}

# How the Events panel names each kind of transaction log entry.
EVENT_NAMES = {
    "opened": "Account opened",
    "credited": "Credit",
    "debited": "Debit",
    "overdraft_limit_set": "Overdraft limit",
    "closed": "Account closed",
}


def bank_env(database: str | None) -> dict[str, str]:
    """The bank's persistence variables for a BANK_DATABASE value: memory when
    it is empty (or "memory"); PostgreSQL for a postgresql:// URL (or
    "postgres", to use the POSTGRES_* variables); otherwise an SQLite folder."""
    if not database or database == "memory":
        return persistence_env("memory")
    if database == "postgres":
        return persistence_env("postgres")
    if database.startswith(("postgres://", "postgresql://")):
        return persistence_env("postgres", database)
    return persistence_env("sqlite", database)


def parse_amount(text: str) -> Decimal:
    """An amount typed as text, as a Decimal (never a float). The bank checks
    the rest: positive, at most two decimal places, not too large."""
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        msg = f"amount must be a number such as 12.50, not {text!r}"
        raise InvalidAmountError(msg) from None


def to_amount(text: str) -> Decimal:
    """An amount typed as text, as money checked by the bank (`to_money`).
    A refusal quotes the amount as it was typed: `1e9999`, not `1E+9999`."""
    amount = parse_amount(text)
    try:
        return to_money(amount)
    except InvalidAmountError as error:
        reason, says_not, _ = str(error).rpartition(", not ")  # to_money's reasons end with ", not <the amount>"
        if not says_not:
            raise
        raise InvalidAmountError(f"{reason}, not {text.strip()}") from None


def shown_time(moment: datetime, zone: tzinfo | None = None) -> str:
    """A moment as the Events panel shows it: date, time and time zone
    (`zone`, or the local one), e.g. '2025-03-01 14:05:09 UTC'."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z")


@dataclass(frozen=True)
class AccountRow:
    number: int  # in opening order, from 1
    account_id: UUID
    owner: str
    balance: Decimal
    is_closed: bool

    @property
    def name(self) -> str:
        """How the page names the account: '1 · Alice' (owners may share a name)."""
        return f"{self.number} · {self.owner}"


@dataclass(frozen=True)
class LedgerRow:
    balance: Decimal
    transactions: int
    to_process: int  # account events recorded that the ledger has not processed yet


@dataclass(frozen=True)
class EventRow:
    time: datetime  # when the transaction log recorded the entry
    event: str  # "Credit", "Account opened", ...
    account: str  # the account's name, "1 · Alice"
    amount: Decimal | None


@dataclass(frozen=True)
class Panels:
    """What the page shows at one moment."""

    accounts: tuple[AccountRow, ...]
    ledger: LedgerRow
    events: tuple[EventRow, ...]

    def __str__(self) -> str:
        """The panels as text, without the times (so they print the same every run)."""
        lines = ["Accounts"]
        for row in self.accounts:
            lines.append(f"  {row.name:<16} {row.balance:>10}  {'closed' if row.is_closed else 'open'}")
        if not self.accounts:
            lines.append("  (none yet)")
        ledger = self.ledger
        lines += [
            "Ledger",
            f"  balance {ledger.balance} · transactions {ledger.transactions} · "
            f"account events to process {ledger.to_process}",
            "Events, newest first",
        ]
        for event in self.events:
            amount = "" if event.amount is None else event.amount
            lines.append(f"  {event.event:<16} {amount!s:>10}  {event.account}")
        if not self.events:
            lines.append("  (none yet)")
        return "\n".join(lines)


class LiveBank:
    """A running bank as the page sees it: its panels, and its commands.
    Each command returns the message to show; a refused command returns
    "Refused: " and the bank's reason, and records nothing."""

    def __init__(self, bank: EventSourcedBank, events: int = 10) -> None:
        self.bank = bank
        self.events = events  # how many of the latest log entries the Events panel shows

    def storage(self) -> str:
        """Where the bank's events are stored: "memory", "SQLite" or "PostgreSQL"."""
        module = type(self.bank.accounts.recorder).__module__
        return STORAGE.get(module, module)

    def read(self) -> Panels:
        """The three panels, read from the bank now."""
        accounts = self.bank.accounts
        rows = []
        for number, account_id in enumerate(accounts.list_accounts(), 1):
            account = accounts.get_account(account_id)
            rows.append(AccountRow(number, account_id, account.owner, account.balance, account.is_closed))
        ledger = LedgerRow(
            self.bank.ledger.get_balance(),
            self.bank.ledger.get_transaction_count(),
            (accounts.recorder.max_notification_id() or 0)
            - (self.bank.ledger.recorder.max_tracking_id(accounts.name) or 0),
        )
        names = {row.account_id: row.name for row in rows}
        events = [
            EventRow(
                entry.timestamp, EVENT_NAMES.get(entry.kind, entry.kind), names.get(entry.account_id, "?"), entry.amount
            )
            for entry in self.bank.transactions.get_transactions(limit=self.events, newest_first=True)
        ]
        return Panels(tuple(rows), ledger, tuple(events))

    def catch_up(self) -> None:
        """Each follower (the ledger, the transaction log) processes what its
        leader recorded since it last looked, such as events another process
        wrote (see `EventSourcedBank.wait_for_ledger`)."""
        self.bank.wait_for_ledger()

    def open_account(self, owner: str) -> str:
        return self._run(lambda: f"Opened account {self._name(self.bank.accounts.open_account(owner))}")

    def credit(self, account_id: UUID | None, amount: str) -> str:
        def command() -> str:
            money = to_amount(amount)
            retry_on_conflict(self.bank.accounts.deposit, self._picked(account_id), money)
            return f"Credited {money} to {self._name(account_id)}"

        return self._run(command)

    def debit(self, account_id: UUID | None, amount: str) -> str:
        def command() -> str:
            money = to_amount(amount)
            retry_on_conflict(self.bank.accounts.withdraw, self._picked(account_id), money)
            return f"Debited {money} from {self._name(account_id)}"

        return self._run(command)

    def transfer(self, from_account_id: UUID | None, to_account_id: UUID | None, amount: str) -> str:
        def command() -> str:
            money = to_amount(amount)
            source, destination = self._picked(from_account_id), self._picked(to_account_id)
            retry_on_conflict(self.bank.accounts.transfer, source, destination, money)
            return f"Transferred {money} from {self._name(source)} to {self._name(destination)}"

        return self._run(command)

    def close_account(self, account_id: UUID | None) -> str:
        def command() -> str:
            retry_on_conflict(self.bank.accounts.close_account, self._picked(account_id))
            return f"Closed account {self._name(account_id)}"

        return self._run(command)

    def _run(self, command: Callable[[], str]) -> str:
        try:
            return command()
        except BankError as error:
            return f"Refused: {self._with_names(str(error))}"

    @staticmethod
    def _picked(account_id: UUID | None) -> UUID:
        if account_id is None:
            msg = "pick an account first"
            raise AccountNotFoundError(msg)
        return account_id

    def _name(self, account_id: UUID) -> str:
        return self._with_names(str(account_id))

    def _with_names(self, text: str) -> str:
        """`text` with each account id replaced by the account's name (when the bank can still say)."""
        try:
            ids = self.bank.accounts.list_accounts()
        except BankError:  # stopped
            return text
        for number, account_id in enumerate(ids, 1):
            owner = self.bank.accounts.get_account(account_id).owner
            text = text.replace(str(account_id), f"{number} · {owner}")
        return text
