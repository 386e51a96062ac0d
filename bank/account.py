"""The Account aggregate: a balance that is the sum of its credits and debits."""

import unicodedata
from decimal import Decimal

from eventsourcing.domain import Aggregate, event

from bank.errors import (
    AccountClosedError,
    BalanceNotZeroError,
    InsufficientFundsError,
    InvalidOwnerError,
    OverdraftLimitError,
)
from bank.money import to_money

MAX_OWNER_LENGTH = 100
# Letters and symbols that show nothing: the blank Braille pattern, Hangul fillers.
BLANKS = frozenset("\u2800\u115f\u1160\u3164\uffa0")


class Account(Aggregate):
    """A bank account. Each public method checks the rules first, then
    triggers exactly one event, so a refused command records nothing.
    The methods that trigger the events only change state: they run again
    whenever the account is rebuilt from its events."""

    @classmethod
    def open(cls, owner: str, overdraft_limit: Decimal = Decimal("0")) -> "Account":
        """Open a new account for `owner`."""
        check_owner(owner)
        return cls(owner, to_money(overdraft_limit, allow_zero=True))

    @event("Opened")
    def __init__(self, owner: str, overdraft_limit: Decimal = Decimal("0.00")) -> None:
        self.owner = owner
        self.overdraft_limit = overdraft_limit
        self.balance = Decimal("0.00")
        self.is_closed = False

    def credit(self, amount: Decimal) -> None:
        """Add money to the account."""
        self._check_is_open()
        self._credited(to_money(amount))

    def debit(self, amount: Decimal) -> None:
        """Take money from the account, down to minus the overdraft limit."""
        self._check_is_open()
        amount = to_money(amount)
        if self.balance - amount < -self.overdraft_limit:
            msg = f"cannot debit {amount}: balance {self.balance}, overdraft limit {self.overdraft_limit}"
            raise InsufficientFundsError(msg)
        self._debited(amount)

    def set_overdraft_limit(self, limit: Decimal) -> None:
        """Change how far below zero the balance may go (not above the debt)."""
        self._check_is_open()
        limit = to_money(limit, allow_zero=True)
        if self.balance < -limit:
            msg = f"cannot set the overdraft limit to {limit}: the balance is {self.balance}"
            raise OverdraftLimitError(msg)
        self._overdraft_limit_set(limit)

    def close(self) -> None:
        """Close the account; it must be empty."""
        self._check_is_open()
        if self.balance != 0:
            msg = f"cannot close an account whose balance is {self.balance}, not 0"
            raise BalanceNotZeroError(msg)
        self._closed()

    def _check_is_open(self) -> None:
        if self.is_closed:
            msg = f"account {self.id} is closed"
            raise AccountClosedError(msg)

    @event("Credited")
    def _credited(self, amount: Decimal) -> None:
        self.balance += amount

    @event("Debited")
    def _debited(self, amount: Decimal) -> None:
        self.balance -= amount

    @event("OverdraftLimitSet")
    def _overdraft_limit_set(self, limit: Decimal) -> None:
        self.overdraft_limit = limit

    @event("Closed")
    def _closed(self) -> None:
        self.is_closed = True


def check_owner(owner: object) -> None:
    """An owner's name is printable text, with a visible character, of at most MAX_OWNER_LENGTH characters."""
    if isinstance(owner, str) and len(owner) > MAX_OWNER_LENGTH:
        msg = f"owner must be at most {MAX_OWNER_LENGTH} characters, not {len(owner):,}"
    elif not isinstance(owner, str) or not owner.isprintable() or not any(map(is_visible, owner)):
        msg = f"owner must be printable text with a visible character, not {owner!r}"
    else:
        return
    raise InvalidOwnerError(msg)


def is_visible(character: str) -> bool:
    """A letter, digit, punctuation mark or symbol that shows something
    (not a space, a combining mark or a blank)."""
    return unicodedata.category(character)[0] in "LNPS" and character not in BLANKS
