"""Version 2 of the account, a teaching variant: credits carry a reference.

Only what changed is written here; everything else is inherited from
`bank.account.Account` (version 1), which the rest of the course keeps using.
"""

from decimal import Decimal
from typing import Any

from eventsourcing.domain import event
from eventsourcing.utils import clear_topic_cache, get_topic, register_topic

from bank.account import Account
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

    class Credited(Account.Event):
        """Version 2 of the event: a new field, `reference`."""

        amount: Decimal
        reference: str
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """A version 1 credit has no reference: say so with an empty one."""
            state["reference"] = ""

    def credit(self, amount: Decimal, reference: str = "") -> None:
        """Add money to the account, saying what it is for."""
        self._check_is_open()
        self._credited(to_money(amount), reference)

    @event(Credited)
    def _credited(self, amount: Decimal, reference: str = "") -> None:
        self.balance += amount
        if reference:
            self.references.append(reference)


# The classes stored events name (by their topics) and the classes that
# version 2 reads them as. Unchanged events keep their version 1 class.
VERSION_2_CLASSES: dict[type, type] = {
    Account: AccountV2,
    Account.Opened: AccountV2.Opened,
    Account.Credited: AccountV2.Credited,
    Account.Debited: Account.Debited,
    Account.OverdraftLimitSet: Account.OverdraftLimitSet,
    Account.Closed: Account.Closed,
}


def deploy_version_2() -> None:
    """Make the topics that version 1 stored resolve to version 2's classes.

    In production version 2 would simply replace `bank/account.py`, in a new
    process. Here both versions live in one process, so this forgets the
    topics the process has resolved so far (as a fresh process would) and
    registers the old topics for the new classes. `clear_topic_cache()`
    undoes it.
    """
    clear_topic_cache()
    for old, new in VERSION_2_CLASSES.items():
        register_topic(get_topic(old), new)
