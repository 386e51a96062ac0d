"""The bank's rules as decisions over tagged events, with the library's DCB
module (dynamic consistency boundaries) instead of aggregates.

Each command reads the events its rule depends on (its consistency boundary,
a query over event types and tags), decides, and appends its new events on
one condition: that no event matching the same query was appended since it
read. A transfer is one event tagged with both accounts.

`DCBBank` writes that read-decide-append cycle out by hand; `Transfer` is the
same transfer on the library's higher layer (a `Slice`, run by
`DCBApplication.do`). `Balances` is a projection that follows the DCB bank.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar
from uuid import uuid4

from eventsourcing.dcb.api import DCBEvent, DCBQuery, DCBQueryItem
from eventsourcing.dcb.application import DCBApplication
from eventsourcing.dcb.domain import Decision, Selector, Slice, Tagged
from eventsourcing.dcb.persistence import DCBMapper
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
class AccountOpened(Decision):
    account_id: str
    owner: str
    overdraft_limit: Decimal


@dataclass(frozen=True)
class MoneyDeposited(Decision):
    account_id: str
    amount: Decimal


@dataclass(frozen=True)
class MoneyWithdrawn(Decision):
    account_id: str
    amount: Decimal


@dataclass(frozen=True)
class MoneyTransferred(Decision):
    from_account_id: str
    to_account_id: str
    amount: Decimal


@dataclass(frozen=True)
class AccountClosed(Decision):
    account_id: str


@dataclass
class AccountState:
    """What the events read say about one account."""

    account_id: str
    owner: str | None = None  # None until an AccountOpened event is read
    overdraft_limit: Decimal = ZERO
    balance: Decimal = ZERO
    is_closed: bool = False

    def apply(self, decision: Decision) -> None:
        match decision:
            case AccountOpened(owner=owner, overdraft_limit=limit):
                self.owner, self.overdraft_limit = owner, limit
            case MoneyDeposited(amount=amount):
                self.balance += amount
            case MoneyWithdrawn(amount=amount):
                self.balance -= amount
            case MoneyTransferred(from_account_id=source, amount=amount):
                self.balance += -amount if source == self.account_id else amount
            case AccountClosed():
                self.is_closed = True

    def check_exists(self) -> None:
        if self.owner is None:
            msg = f"no account with id {self.account_id}"
            raise AccountNotFoundError(msg)

    def check_is_open(self) -> None:
        self.check_exists()
        if self.is_closed:
            msg = f"account {self.account_id} is closed"
            raise AccountClosedError(msg)

    def check_can_debit(self, amount: Decimal) -> None:
        self.check_is_open()
        if self.balance - amount < -self.overdraft_limit:
            msg = f"cannot debit {amount}: balance {self.balance}, overdraft limit {self.overdraft_limit}"
            raise InsufficientFundsError(msg)


@dataclass
class Decided:
    """A decision taken but not yet recorded: the new events, and the condition
    to append them on (no event matching `boundary` after position `after`)."""

    events: list[Tagged[Decision]]
    boundary: list[Selector]
    after: int | None = None
    states: dict[str, AccountState] = field(default_factory=dict, repr=False)


class JSONDecisionMapper(DCBMapper[Decision]):
    """Stores a decision as JSON (Decimals as strings), readable in any SQL
    client; its type is its topic. (The library's `MessagePackMapper` needs
    decisions written as msgspec Structs, and stores bytes.)"""

    def __init__(self) -> None:
        self.transcoder = JSONTranscoder()
        self.transcoder.register(DecimalAsStr())

    def to_dcb_event(self, event: Tagged[Decision]) -> DCBEvent:
        data = self.transcoder.encode(event.decision.as_dict())
        return DCBEvent(type=get_topic(type(event.decision)), data=data, tags=event.tags)

    def to_domain_event(self, event: DCBEvent) -> Tagged[Decision]:
        decision = resolve_topic(event.type)(**self.transcoder.decode(event.data))
        return Tagged(tags=event.tags, decision=decision)


def opening_or_closing(account_id: str) -> Selector:
    """The events that say whether an account is open: its opening and its closing."""
    return Selector(types=[AccountOpened, AccountClosed], tags=[account_id])


def transfer_boundary(from_account_id: str, to_account_id: str) -> list[Selector]:
    """What a transfer depends on: everything about the source (its balance),
    and whether the destination is open."""
    return [Selector(tags=[from_account_id]), opening_or_closing(to_account_id)]


def boundary_query(boundary: Sequence[Selector]) -> DCBQuery:
    """The recorder's query for a boundary (as the library's event store builds
    it: event types by topic), to read it with `recorder.read`."""
    return DCBQuery(items=[DCBQueryItem(types=[get_topic(t) for t in s.types], tags=list(s.tags)) for s in boundary])


class DCBBank(DCBApplication):
    """Accounts without aggregates. Commands are `decide_...` (read and check;
    raises a BankError if refused) followed by `append` (record, or raise the
    library's IntegrityError if a conflicting event was appended meanwhile);
    they return the position of the event they appended."""

    env: ClassVar[dict[str, str]] = {
        "PERSISTENCE_MODULE": "eventsourcing.dcb.popo",
        "MAPPER_TOPIC": get_topic(JSONDecisionMapper),
    }

    # Commands: decide, then append.

    def open_account(self, owner: str, overdraft_limit: Decimal = Decimal("0")) -> str:
        decided = self.decide_opening(owner, overdraft_limit)
        self.append(decided)
        return decided.events[0].decision.account_id

    def deposit(self, account_id: str, amount: Decimal) -> int:
        return self.append(self.decide_deposit(account_id, amount))

    def withdraw(self, account_id: str, amount: Decimal) -> int:
        return self.append(self.decide_withdrawal(account_id, amount))

    def transfer(self, from_account_id: str, to_account_id: str, amount: Decimal) -> int:
        return self.append(self.decide_transfer(from_account_id, to_account_id, amount))

    def close_account(self, account_id: str) -> int:
        return self.append(self.decide_closing(account_id))

    def append(self, decided: Decided) -> int:
        """Record the decision's events atomically; return the last position."""
        return self.events.append(decided.events, cb=decided.boundary, after=decided.after)

    # Decisions: each reads only what its rule depends on.

    def decide_opening(self, owner: str, overdraft_limit: Decimal = Decimal("0")) -> Decided:
        check_owner(owner)
        account_id = f"account-{uuid4()}"
        opened = AccountOpened(account_id, owner, to_money(overdraft_limit, allow_zero=True))
        # Nothing read: the condition is that no event has this tag yet.
        return Decided([Tagged([account_id], opened)], [Selector(tags=[account_id])])

    def decide_deposit(self, account_id: str, amount: Decimal) -> Decided:
        amount = to_money(amount)
        # A deposit only needs the account to be open: concurrent deposits never conflict.
        decided = self._read([opening_or_closing(account_id)], account_id)
        decided.states[account_id].check_is_open()
        decided.events.append(Tagged([account_id], MoneyDeposited(account_id, amount)))
        return decided

    def decide_withdrawal(self, account_id: str, amount: Decimal) -> Decided:
        amount = to_money(amount)
        decided = self._read([Selector(tags=[account_id])], account_id)
        decided.states[account_id].check_can_debit(amount)
        decided.events.append(Tagged([account_id], MoneyWithdrawn(account_id, amount)))
        return decided

    def decide_transfer(self, from_account_id: str, to_account_id: str, amount: Decimal) -> Decided:
        """One decision over two accounts: all of the source's events, and the
        destination's opening and closing. One event, tagged with both, records it."""
        amount = to_money(amount)
        check_not_the_same(from_account_id, to_account_id)
        boundary = transfer_boundary(from_account_id, to_account_id)
        decided = self._read(boundary, from_account_id, to_account_id)
        decided.states[to_account_id].check_is_open()
        decided.states[from_account_id].check_can_debit(amount)
        transferred = MoneyTransferred(from_account_id, to_account_id, amount)
        decided.events.append(Tagged([from_account_id, to_account_id], transferred))
        return decided

    def decide_closing(self, account_id: str) -> Decided:
        """An account closes when its balance is zero: every event that could
        change the balance is in the boundary."""
        decided = self._read([Selector(tags=[account_id])], account_id)
        state = decided.states[account_id]
        state.check_is_open()
        if state.balance != 0:
            msg = f"cannot close an account whose balance is {state.balance}, not 0"
            raise BalanceNotZeroError(msg)
        decided.events.append(Tagged([account_id], AccountClosed(account_id)))
        return decided

    # Queries.

    def get_account(self, account_id: str) -> AccountState:
        state = self._read([Selector(tags=[account_id])], account_id).states[account_id]
        state.check_exists()
        return state

    def get_balance(self, account_id: str) -> Decimal:
        return self.get_account(account_id).balance

    def list_accounts(self) -> list[str]:
        """Ids of all accounts in opening order: a query by event type alone."""
        return [tagged.decision.account_id for tagged in self.events.read(Selector(types=[AccountOpened]))]

    def _read(self, boundary: list[Selector], *account_ids: str) -> Decided:
        """Read the boundary's events into one state per account, remembering
        the position read up to."""
        states = {account_id: AccountState(account_id) for account_id in account_ids}
        response = self.events.read(boundary)
        for tagged in response:
            for tag in tagged.tags:
                if tag in states:
                    states[tag].apply(tagged.decision)
        return Decided([], boundary, response.head, states)


def check_not_the_same(from_account_id: str, to_account_id: str) -> None:
    if from_account_id == to_account_id:
        msg = f"cannot transfer from account {from_account_id} to itself"
        raise SameAccountTransferError(msg)


class Transfer(Slice[Decision]):
    """The same transfer on the library's higher layer. A `Slice` names its
    consistency boundary and, with `@event(...)`, what each event read
    changes; `bank.do(Transfer(...))` (the library's `DCBApplication.do`)
    reads the boundary into it, calls `execute`, and appends the event it
    triggered on the same condition as `DCBBank.append`."""

    def __init__(self, from_account_id: str, to_account_id: str, amount: Decimal) -> None:
        check_not_the_same(from_account_id, to_account_id)
        self.source, self.destination = AccountState(from_account_id), AccountState(to_account_id)
        self.amount = to_money(amount)

    def consistency_boundary(self) -> list[Selector]:
        return transfer_boundary(self.source.account_id, self.destination.account_id)

    def state(self, account_id: str) -> AccountState:
        return self.source if account_id == self.source.account_id else self.destination

    @event(AccountOpened)
    def _(self, account_id: str, owner: str, overdraft_limit: Decimal) -> None:
        state = self.state(account_id)
        state.owner, state.overdraft_limit = owner, overdraft_limit

    @event(AccountClosed)
    def _(self, account_id: str) -> None:
        self.state(account_id).is_closed = True

    # Deposits, withdrawals and transfers are read for the source only.

    @event(MoneyDeposited)
    def _(self, amount: Decimal) -> None:
        self.source.balance += amount

    @event(MoneyWithdrawn)
    def _(self, amount: Decimal) -> None:
        self.source.balance -= amount

    @event(MoneyTransferred)
    def _(self, from_account_id: str, amount: Decimal) -> None:
        self.source.balance += -amount if from_account_id == self.source.account_id else amount

    def execute(self) -> None:
        self.destination.check_is_open()
        self.source.check_can_debit(self.amount)
        source, destination = self.source.account_id, self.destination.account_id
        self.trigger_event(MoneyTransferred, [source, destination], source, destination, self.amount)


def amounts_moved(decision: Decision) -> dict[str, Decimal]:
    """How a decision changes balances: {account id: signed amount}."""
    match decision:
        case MoneyDeposited(account_id=account_id, amount=amount):
            return {account_id: amount}
        case MoneyWithdrawn(account_id=account_id, amount=amount):
            return {account_id: -amount}
        case MoneyTransferred(from_account_id=source, to_account_id=destination, amount=amount):
            return {source: -amount, destination: amount}
    return {}


class BalancesView(POPOTrackingRecorder):
    """A read model of the DCB bank, in memory: each account's balance, and
    (the library's tracking) the position of the last event applied."""

    def __init__(self) -> None:
        super().__init__()
        self._balances: dict[str, Decimal] = {}

    def add(self, amounts: dict[str, Decimal], tracking: Tracking) -> None:
        """Add each amount to its account's balance and record the position,
        both or neither."""
        with self._database_lock:
            self._assert_tracking_uniqueness(tracking)
            for account_id, amount in amounts.items():
                self._balances[account_id] = self._balances.get(account_id, ZERO) + amount
            self._insert_tracking(tracking)

    def get_balance(self, account_id: str) -> Decimal:
        with self._database_lock:
            return self._balances.get(account_id, ZERO)


class Balances(Projection[BalancesView]):
    """Follows the DCB bank's money events: a `ProjectionRunner` given
    `DCBBank` subscribes with the library's `DCBApplicationSubscription`,
    which reads events of these types (topics) in order."""

    topics = (get_topic(MoneyDeposited), get_topic(MoneyWithdrawn), get_topic(MoneyTransferred))

    def process_event(self, domain_event: Tagged[Decision], tracking: Tracking) -> None:
        self.view.add(amounts_moved(domain_event.decision), tracking)
