"""An event-sourced bank, small enough to learn the `eventsourcing` library with.

The public API is the names below; `bank.variants` holds later chapters' variations."""

from bank.account import Account
from bank.account_service import AccountService
from bank.errors import (
    AccountClosedError,
    AccountNotFoundError,
    BalanceNotZeroError,
    BankError,
    BankStoppedError,
    InsufficientFundsError,
    InvalidAmountError,
    InvalidOwnerError,
    InvalidQueryError,
    LostEventsError,
    OverdraftLimitError,
    SameAccountTransferError,
)
from bank.ledger import Ledger
from bank.ledger_service import LedgerService
from bank.persistence import BACKENDS, PersistenceConfigError, persistence_env
from bank.system import EventSourcedBank
from bank.transaction_log import TransactionLogService

__all__ = [
    "BACKENDS",
    "Account",
    "AccountClosedError",
    "AccountNotFoundError",
    "AccountService",
    "BalanceNotZeroError",
    "BankError",
    "BankStoppedError",
    "EventSourcedBank",
    "InsufficientFundsError",
    "InvalidAmountError",
    "InvalidOwnerError",
    "InvalidQueryError",
    "Ledger",
    "LedgerService",
    "LostEventsError",
    "OverdraftLimitError",
    "PersistenceConfigError",
    "SameAccountTransferError",
    "TransactionLogService",
    "persistence_env",
]
