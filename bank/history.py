"""An account's event history as a table: one row per event, with the
balance after it (state is the fold of the events)."""

from typing import TYPE_CHECKING
from uuid import UUID

from bank.account_service import AccountService

if TYPE_CHECKING:
    import pandas as pd


def account_history(accounts: AccountService, account_id: UUID) -> "pd.DataFrame":
    """Replay the account's stored events one at a time, as the repository does."""
    import pandas as pd  # noqa: PLC0415 (pandas is only needed here)

    accounts.get_account(account_id)  # raises AccountNotFoundError if unknown
    rows = []
    account = None
    for event in accounts.events.get(account_id):
        account = event.mutate(account)
        detail = getattr(event, "amount", getattr(event, "limit", None))
        rows.append(
            {
                "version": event.originator_version,
                "event": type(event).__name__,
                "amount": "" if detail is None else detail,
                "balance": account.balance,
            }
        )
    return pd.DataFrame(rows).set_index("version")
