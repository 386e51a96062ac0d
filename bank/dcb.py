"""The bank's rules as decisions over tagged events, with the library's DCB
module (dynamic consistency boundaries) instead of aggregates.

Each command reads the events its rule depends on (its consistency boundary,
a query over event types and tags), decides, and appends its new events on
one condition: that no event matching the same query was appended since it
read. A transfer is one event tagged with both accounts."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar
from uuid import uuid4

from eventsourcing.dcb.api import DCBEvent
from eventsourcing.dcb.application import DCBApplication
from eventsourcing.dcb.domain import Decision, Selector, Tagged
from eventsourcing.dcb.persistence import DCBMapper
from eventsourcing.persistence import DecimalAsStr, JSONTranscoder
from eventsourcing.utils import get_topic, resolve_topic

from bank.errors import AccountNotFoundError, InsufficientFundsError, InvalidOwnerError, SameAccountTransferError
from bank.money import to_money


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


@dataclass
class AccountState:
    """What the events read say about one account."""

    account_id: str
    owner: str | None = None  # None until an AccountOpened event is read
    overdraft_limit: Decimal = Decimal("0.00")
    balance: Decimal = Decimal("0.00")

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

    def check_is_open(self) -> None:
        if self.owner is None:
            msg = f"no account with id {self.account_id}"
            raise AccountNotFoundError(msg)


@dataclass
class Decided:
    """A decision taken but not yet recorded: the new events, and the condition
    to append them on (no event matching `boundary` after position `after`)."""

    events: list[Tagged[Decision]]
    boundary: list[Selector]
    after: int | None = None
    states: dict[str, AccountState] = field(default_factory=dict, repr=False)


class JSONDecisionMapper(DCBMapper[Decision]):
    """Stores a decision as JSON (Decimals as strings); its type is its topic."""

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
    """Accounts without aggregates. Commands are `decide_...` (read and check;
    raises a BankError if refused) followed by `append` (record, or raise the
    library's IntegrityError if a conflicting event was appended meanwhile)."""

    env: ClassVar[dict[str, str]] = {
        "PERSISTENCE_MODULE": "eventsourcing.dcb.popo",
        "MAPPER_TOPIC": get_topic(JSONDecisionMapper),
    }

    # Commands: decide, then append.

    def open_account(self, owner: str, overdraft_limit: Decimal = Decimal("0")) -> str:
        decided = self.decide_opening(owner, overdraft_limit)
        self.append(decided)
        return decided.events[0].decision.account_id

    def deposit(self, account_id: str, amount: Decimal) -> None:
        self.append(self.decide_deposit(account_id, amount))

    def withdraw(self, account_id: str, amount: Decimal) -> None:
        self.append(self.decide_withdrawal(account_id, amount))

    def transfer(self, from_account_id: str, to_account_id: str, amount: Decimal) -> None:
        self.append(self.decide_transfer(from_account_id, to_account_id, amount))

    def append(self, decided: Decided) -> int:
        """Record the decision's events atomically; return the last position."""
        return self.events.append(decided.events, cb=decided.boundary, after=decided.after)

    # Decisions: each reads only what its rule depends on.

    def decide_opening(self, owner: str, overdraft_limit: Decimal = Decimal("0")) -> Decided:
        if not isinstance(owner, str) or not owner.strip():
            msg = f"owner must be a non-empty string, not {owner!r}"
            raise InvalidOwnerError(msg)
        account_id = f"account-{uuid4()}"
        opened = AccountOpened(account_id, owner, to_money(overdraft_limit, allow_zero=True))
        # Nothing read: the condition is that no event has this tag yet.
        return Decided([Tagged([account_id], opened)], [Selector(tags=[account_id])])

    def decide_deposit(self, account_id: str, amount: Decimal) -> Decided:
        amount = to_money(amount)
        # A deposit only needs the account to exist: concurrent deposits never conflict.
        decided = self._read([Selector(types=[AccountOpened], tags=[account_id])], account_id)
        decided.states[account_id].check_is_open()
        decided.events.append(Tagged([account_id], MoneyDeposited(account_id, amount)))
        return decided

    def decide_withdrawal(self, account_id: str, amount: Decimal) -> Decided:
        amount = to_money(amount)
        decided = self._read([Selector(tags=[account_id])], account_id)
        self._check_can_debit(decided.states[account_id], amount)
        decided.events.append(Tagged([account_id], MoneyWithdrawn(account_id, amount)))
        return decided

    def decide_transfer(self, from_account_id: str, to_account_id: str, amount: Decimal) -> Decided:
        """One decision over two accounts: all of the source's events, and the
        destination's opening. One event, tagged with both, records it."""
        amount = to_money(amount)
        if from_account_id == to_account_id:
            msg = f"cannot transfer from account {from_account_id} to itself"
            raise SameAccountTransferError(msg)
        boundary = [Selector(tags=[from_account_id]), Selector(types=[AccountOpened], tags=[to_account_id])]
        decided = self._read(boundary, from_account_id, to_account_id)
        decided.states[to_account_id].check_is_open()
        self._check_can_debit(decided.states[from_account_id], amount)
        transferred = MoneyTransferred(from_account_id, to_account_id, amount)
        decided.events.append(Tagged([from_account_id, to_account_id], transferred))
        return decided

    # Queries.

    def get_account(self, account_id: str) -> AccountState:
        state = self._read([Selector(tags=[account_id])], account_id).states[account_id]
        state.check_is_open()
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

    @staticmethod
    def _check_can_debit(state: AccountState, amount: Decimal) -> None:
        state.check_is_open()
        if state.balance - amount < -state.overdraft_limit:
            msg = f"cannot debit {amount}: balance {state.balance}, overdraft limit {state.overdraft_limit}"
            raise InsufficientFundsError(msg)
