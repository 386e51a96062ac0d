"""Looking back at one account: its events as a table (state is the fold of
the events), and the account as it was at a past time."""

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from bank.account import Account
from bank.account_service import AccountService
from bank.errors import AccountNotFoundError

if TYPE_CHECKING:
    import pandas as pd

    from bank.transaction_log import TransactionLogService


def account_history(
    accounts: AccountService, account_id: UUID, transactions: "TransactionLogService | None" = None
) -> "pd.DataFrame":
    """One row per event of the account, replayed one at a time as the
    repository does: what happened, the amount, and the balance and overdraft
    limit after it. Given the transaction log, a last column gives the
    position of the log entry that recorded each credit and debit."""
    import pandas as pd  # noqa: PLC0415 (pandas is only needed here)

    accounts.get_account(account_id)  # raises AccountNotFoundError if unknown
    logged: dict[int, int] = {}
    if transactions is not None:
        for entry in transactions.get_transactions():
            if entry.account_id == account_id:
                logged[entry.account_version] = entry.originator_version
    rows = []
    account = None
    for event in accounts.events.get(account_id):
        account = event.mutate(account)
        row = {
            "version": event.originator_version,
            "event": type(event).__name__,
            "amount": getattr(event, "amount", getattr(event, "limit", "")),
            "balance": account.balance,
            "overdraft_limit": account.overdraft_limit,
        }
        if transactions is not None:
            row["log_entry"] = logged.get(event.originator_version, pd.NA)
        rows.append(row)
    return pd.DataFrame(rows).set_index("version")


def version_at(accounts: AccountService, account_id: UUID, when: datetime) -> int:
    """The account's version at `when` (timezone-aware): that of its last event
    with a timestamp at or before `when`. Raises AccountNotFoundError if it was
    not open yet."""
    accounts.get_account(account_id)  # raises AccountNotFoundError if unknown
    version = None
    for event in accounts.events.get(account_id):
        if event.timestamp > when:
            break
        version = event.originator_version
    if version is None:
        msg = f"account {account_id} was not open yet at {when.isoformat()}"
        raise AccountNotFoundError(msg)
    return version


def account_at(accounts: AccountService, account_id: UUID, when: datetime) -> Account:
    """The account as it was at `when`."""
    return accounts.get_account(account_id, version=version_at(accounts, account_id, when))
