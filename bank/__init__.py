"""An event-sourced bank, small enough to learn the `eventsourcing` library with.

The public API is the names below; the modules beside this one are the
variants that later chapters build on.
"""

from bank.account import Account
from bank.account_service import AccountService
from bank.errors import (
    AccountClosedError,
    AccountNotFoundError,
    BalanceNotZeroError,
    BankError,
    InsufficientFundsError,
    InvalidAmountError,
    InvalidOwnerError,
    OverdraftLimitError,
    SameAccountTransferError,
)
from bank.ledger import Ledger
from bank.ledger_service import LedgerService
from bank.persistence import BACKENDS, PersistenceConfigError, persistence_env
from bank.postgres import embedded_postgres, postgres_env
from bank.single_process import SingleProcessBank
from bank.system import EventSourcedBank

__all__ = [
    "BACKENDS",
    "Account",
    "AccountClosedError",
    "AccountNotFoundError",
    "AccountService",
    "BalanceNotZeroError",
    "BankError",
    "EventSourcedBank",
    "InsufficientFundsError",
    "InvalidAmountError",
    "InvalidOwnerError",
    "Ledger",
    "LedgerService",
    "OverdraftLimitError",
    "PersistenceConfigError",
    "SameAccountTransferError",
    "SingleProcessBank",
    "embedded_postgres",
    "persistence_env",
    "postgres_env",
]
