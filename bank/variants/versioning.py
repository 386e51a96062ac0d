"""Versions 2 and 3 of the account, a teaching variant: credits carry a reference.

- Version 1 is `bank.account.Account`, which the rest of the course keeps using.
- Version 2 (`AccountV2`): a credit says what it is for, its `reference`
  ("" when none was given), and the account remembers the references.
- Version 3 (`AccountV3`): a credit without a reference says so with None.

Only what changed is written here; everything else is inherited. Each
version's `Credited` subclasses the version before, so code written for
`Account.Credited` (the ledger's policy) still matches it. Its topic is new,
though: a follower that selects events by topic must name it
(`VersionedLedgerService`).
"""

from decimal import Decimal
from typing import Any

from eventsourcing.domain import event
from eventsourcing.utils import clear_topic_cache, get_topic, register_topic

from bank.account import Account
from bank.ledger_service import LedgerService
from bank.money import to_money


class AccountV2(Account):
    """An account whose credits say what they are for (`reference`), and
    which remembers the references it was given."""

    class_version = 2  # of the aggregate's state, as kept in snapshots

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """A version 1 snapshot has no `references`: none were given then."""
        state["references"] = []

    @event("Opened")
    def __init__(self, owner: str, overdraft_limit: Decimal = Decimal("0")) -> None:
        super().__init__(owner, overdraft_limit)
        self.references: list[str] = []

    class Credited(Account.Credited):
        """Version 2 of the credit: version 1's, with a `reference`."""

        reference: str
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """A version 1 credit has no reference: say so with an empty one."""
            state["reference"] = ""

        def apply(self, account: "AccountV2") -> None:  # (a subclass of an event, so not made by @event)
            account.balance += self.amount
            if self.reference:
                account.references.append(self.reference)

    def credit(self, amount: Decimal, reference: str = "") -> None:
        """Add money to the account, saying what it is for."""
        self._check_is_open()
        self.trigger_event(self.Credited, amount=to_money(amount), reference=reference)


class AccountV3(AccountV2):
    """Version 3: a credit without a reference says so with None, not ""."""

    class Credited(AccountV2.Credited):
        """Version 3 of the credit: `reference` is None when none was given."""

        reference: str | None
        class_version = 3

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            """Version 2 wrote "" for "no reference": say None."""
            state["reference"] = state["reference"] or None

    def credit(self, amount: Decimal, reference: str | None = None) -> None:
        """Add money to the account, saying what it is for (if anything)."""
        self._check_is_open()
        self.trigger_event(self.Credited, amount=to_money(amount), reference=reference)


# What each version reads the classes of earlier versions as: the stored
# topics of these classes resolve to these classes. The events that did not
# change are named too, as themselves: otherwise `bank.account:Account.Debited`
# would be looked up on the class registered for `bank.account:Account`,
# and found as `AccountV2.Debited`, a subclass the library defines for
# AccountV2 that has no method to apply.
UNCHANGED = {cls: cls for cls in (Account.Debited, Account.OverdraftLimitSet, Account.Closed)}
READ_AS: dict[int, dict[type, type]] = {
    1: {},
    2: {Account: AccountV2, Account.Opened: AccountV2.Opened, Account.Credited: AccountV2.Credited} | UNCHANGED,
    3: {
        Account: AccountV3,
        Account.Opened: AccountV3.Opened,
        Account.Credited: AccountV3.Credited,
        AccountV2: AccountV3,
        AccountV2.Opened: AccountV3.Opened,
        AccountV2.Credited: AccountV3.Credited,
    }
    | UNCHANGED,
}


def deploy_version(number: int) -> None:
    """Make this process read stored events as version `number` (1, 2 or 3)
    of the account reads them: the topics of earlier versions' classes
    resolve to this version's classes.

    In production a new version would replace `bank/account.py`, in a new
    process. Here all versions live in one process, so this resets what the
    library's topic registry holds: it forgets every topic resolved so far
    (`clear_topic_cache`, as in a fresh process), then registers the old
    topics for the new classes (`register_topic`). Version 1 registers
    nothing: each topic resolves to the class it names.
    """
    if number not in READ_AS:
        msg = f"there is no version {number} of the account: choose one of {', '.join(map(str, READ_AS))}"
        raise ValueError(msg)
    # The old topics first, while each still resolves to its own class
    # (`get_topic` registers a class's topic the first time it is asked).
    redirects = {get_topic(old): new for old, new in READ_AS[number].items()}
    clear_topic_cache()
    for topic, new in redirects.items():
        register_topic(topic, new)


class VersionedLedgerService(LedgerService):
    """The bank's ledger, deployed with versions 2 and 3 of the account: its
    policy is `LedgerService`'s, since each version's `Credited` subclasses
    the one before, so the policy registered for `Account.Credited` matches
    them all."""

    name = LedgerService.name  # the same ledger: the same tables and tracking records
