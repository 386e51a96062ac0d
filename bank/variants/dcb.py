"""The bank without aggregates: its rules as decisions over tagged events, on
the library's DCB layer (`eventsourcing.dcb`, dynamic consistency boundaries).

All events go into one sequence, each tagged with the ids of the accounts it
concerns. A decision reads the events its rule depends on (its consistency
boundary: selectors of event types and tags), decides, and appends its new
events on one condition: that nothing in its boundary was appended since it
read (else the library's `IntegrityError`).

- `Account`, an enduring object (the library's `EnduringObject`): like the
  aggregate of chapter 01, rebuilt from its events (those tagged with its
  id), which are all its boundary.
- `AccountPair`, a group of two accounts (`Group`): a transfer is one event,
  tagged with both.
- `Deposit`, a slice (`Slice`): one decision with a boundary of its own, the
  account's opening and closing only, so deposits never conflict.
- `DCBBank`, the library's `DCBApplication` running them, with a mapper of
  ours, `JSONDecisionMapper` (the library's needs the msgspec package).
- `Balances`, a projection of the DCB bank for the library's `ProjectionRunner`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, cast

from eventsourcing.dcb.api import DCBEvent, DCBQuery, DCBQueryItem
from eventsourcing.dcb.application import DCBApplication
from eventsourcing.dcb.domain import Decision, EnduringObject, Group, InitialDecision, Selector, Slice, Tagged
from eventsourcing.dcb.persistence import DCBMapper, NotFoundError
from eventsourcing.domain import event
from eventsourcing.persistence import DecimalAsStr, JSONTranscoder, Tracking
from eventsourcing.popo import POPOTrackingRecorder
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic, resolve_topic

from bank.account import check_owner
from bank.errors import (
    AccountClosedError,
    AccountNotFoundError,
    BalanceNotZeroError,
    InsufficientFundsError,
    SameAccountTransferError,
)
from bank.money import to_money

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Deposited(Decision):
    amount: Decimal


@dataclass(frozen=True)
class Withdrawn(Decision):
    amount: Decimal


@dataclass(frozen=True)
class Transferred(Decision):
    from_account_id: str
    to_account_id: str
    amount: Decimal


@dataclass(frozen=True)
class Closed(Decision):
    pass


class Account(EnduringObject[Decision, str]):
    """An account as an enduring object: the events tagged with its id, folded
    by the methods below; the rules and errors are those of chapter 01's
    `Account` aggregate. A public method checks, then triggers one event."""

    @dataclass(frozen=True)
    class Opened(InitialDecision):
        originator_topic: str
        account_id: str  # named after the class: "account" + "_id"
        owner: str
        overdraft_limit: Decimal

    @classmethod
    def open(cls, owner: str, overdraft_limit: Decimal = ZERO) -> "Account":
        check_owner(owner)
        return cls(owner=owner, overdraft_limit=to_money(overdraft_limit, allow_zero=True))

    def __init__(self, owner: str, overdraft_limit: Decimal) -> None:
        self.owner = owner
        self.overdraft_limit = overdraft_limit
        self.balance = ZERO
        self.is_closed = False

    def withdraw(self, amount: Decimal) -> None:
        amount = to_money(amount)
        self.check_can_debit(amount)
        self._withdrawn(amount)

    def close(self) -> None:
        self.check_is_open()
        if self.balance != 0:
            msg = f"cannot close an account whose balance is {self.balance}, not 0"
            raise BalanceNotZeroError(msg)
        self._closed()

    def check_is_open(self) -> None:
        if self.is_closed:
            msg = f"account {self.id} is closed"
            raise AccountClosedError(msg)

    def check_can_debit(self, amount: Decimal) -> None:
        self.check_is_open()
        if self.balance - amount < -self.overdraft_limit:
            msg = f"cannot debit {amount}: balance {self.balance}, overdraft limit {self.overdraft_limit}"
            raise InsufficientFundsError(msg)

    @event(Withdrawn)
    def _withdrawn(self, amount: Decimal) -> None:
        self.balance -= amount

    @event(Closed)
    def _closed(self) -> None:
        self.is_closed = True

    # Decided elsewhere (by a slice, by a group), folded here: methods named _.

    @event(Deposited)
    def _(self, amount: Decimal) -> None:
        self.balance += amount

    @event(Transferred)
    def _(self, from_account_id: str, amount: Decimal) -> None:
        self.balance += -amount if from_account_id == self.id else amount


class AccountPair(Group[Decision]):
    """Two accounts deciding together: the group's boundary is both accounts'
    events, and a transfer is one event, tagged with both ids."""

    def __init__(self, source: Account | None, destination: Account | None) -> None:
        if source is None or destination is None:
            msg = f"no {'source' if source is None else 'destination'} account with that id"
            raise AccountNotFoundError(msg)
        self.source, self.destination = source, destination

    def transfer(self, amount: Decimal) -> None:
        amount = to_money(amount)
        self.destination.check_is_open()
        self.source.check_can_debit(amount)
        source, destination = self.source.id, self.destination.id
        self.trigger_event(Transferred, from_account_id=source, to_account_id=destination, amount=amount)


class Deposit(Slice[Decision]):
    """A deposit needs to know only that the account is open: its boundary is
    the account's opening and closing, so two deposits never conflict."""

    def __init__(self, account_id: str, amount: Decimal) -> None:
        self.account_id = account_id
        self.amount = to_money(amount)
        self.is_opened = self.is_closed = False

    def consistency_boundary(self) -> list[Selector]:
        return [Selector(types=[Account.Opened, Closed], tags=[self.account_id])]

    @event(Account.Opened)
    def _(self) -> None:
        self.is_opened = True

    @event(Closed)
    def _(self) -> None:
        self.is_closed = True

    def execute(self) -> None:
        if not self.is_opened:
            msg = f"no account with id {self.account_id}"
            raise AccountNotFoundError(msg)
        if self.is_closed:
            msg = f"account {self.account_id} is closed"
            raise AccountClosedError(msg)
        self.trigger_event(Deposited, [self.account_id], amount=self.amount)


class JSONDecisionMapper(DCBMapper[Decision]):
    """Ours: a decision stored as JSON (Decimals as strings), its type its topic."""

    def __init__(self) -> None:
        self.transcoder = JSONTranscoder()
        self.transcoder.register(DecimalAsStr())

    def to_dcb_event(self, event: Tagged[Decision]) -> DCBEvent:
        data = self.transcoder.encode(event.decision.as_dict())
        return DCBEvent(type=get_topic(type(event.decision)), data=data, tags=event.tags)

    def to_domain_event(self, event: DCBEvent) -> Tagged[Decision]:
        decision = resolve_topic(event.type)(**self.transcoder.decode(event.data))
        return Tagged(tags=event.tags, decision=decision)


class DCBBank(DCBApplication):
    """The bank's commands, each three steps: read a boundary into an object
    (`repository.get`, `get_group`, or `do` for a slice), decide (a method
    that checks the rules, then triggers an event), save on the condition."""

    env: ClassVar[dict[str, str]] = {
        "PERSISTENCE_MODULE": "eventsourcing.dcb.popo",
        "MAPPER_TOPIC": get_topic(JSONDecisionMapper),
    }

    def open_account(self, owner: str, overdraft_limit: Decimal = ZERO) -> str:
        account = Account.open(owner, overdraft_limit)
        self.repository.save(account)
        return account.id

    def deposit(self, account_id: str, amount: Decimal) -> None:
        self.do(Deposit(account_id, amount))

    def withdraw(self, account_id: str, amount: Decimal) -> None:
        account = self.get_account(account_id)
        account.withdraw(amount)
        self.repository.save(account)

    def transfer(self, from_account_id: str, to_account_id: str, amount: Decimal) -> None:
        if from_account_id == to_account_id:
            msg = f"cannot transfer from account {from_account_id} to itself"
            raise SameAccountTransferError(msg)
        pair = self.repository.get_group(AccountPair, from_account_id, to_account_id)
        pair.transfer(amount)
        self.repository.save(pair)

    def close_account(self, account_id: str) -> None:
        account = self.get_account(account_id)
        account.close()
        self.repository.save(account)

    def get_account(self, account_id: str) -> Account:
        try:
            return cast(Account, self.repository.get(account_id))
        except NotFoundError:
            msg = f"no account with id {account_id}"
            raise AccountNotFoundError(msg) from None

    def get_balance(self, account_id: str) -> Decimal:
        return self.get_account(account_id).balance


def positions_read(bank: DCBApplication, boundary: Sequence[Selector]) -> list[int]:
    """The positions of the events a boundary selects: the recorder read with
    the query the library's event store makes of it (types by topic)."""
    items = [DCBQueryItem(types=[get_topic(t) for t in s.types], tags=list(s.tags)) for s in boundary]
    return [sequenced.position for sequenced in bank.recorder.read(DCBQuery(items=items))]


class BalancesView(POPOTrackingRecorder):
    """A read model in memory: each account's balance, and (the library's
    tracking) the position of the last event applied, changed together."""

    def __init__(self) -> None:
        super().__init__()
        self.balances: dict[str, Decimal] = {}

    def add(self, amounts: dict[str, Decimal], tracking: Tracking) -> None:
        with self._database_lock:
            self._assert_tracking_uniqueness(tracking)  # an event applied once
            for account_id, amount in amounts.items():
                self.balances[account_id] = self.balances.get(account_id, ZERO) + amount
            self._insert_tracking(tracking)

    def get_balance(self, account_id: str) -> Decimal:
        with self._database_lock:
            return self.balances.get(account_id, ZERO)


class Balances(Projection[BalancesView]):
    """Given the events of these types (topics), in order, by the runner."""

    topics = (get_topic(Deposited), get_topic(Withdrawn), get_topic(Transferred))

    def process_event(self, domain_event: Tagged[Decision], tracking: Tracking) -> None:
        match domain_event.decision:
            case Deposited(amount=amount):
                amounts = {domain_event.tags[0]: amount}
            case Withdrawn(amount=amount):
                amounts = {domain_event.tags[0]: -amount}
            case Transferred(from_account_id=source, to_account_id=destination, amount=amount):
                amounts = {source: -amount, destination: amount}
            case _:
                amounts = {}
        self.view.add(amounts, tracking)
