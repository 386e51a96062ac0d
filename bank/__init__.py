"""An event-sourced bank, small enough to learn the `eventsourcing` library with."""

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
    SameAccountTransferError,
)
from bank.ledger import Ledger
from bank.ledger_service import LedgerService
from bank.persistence import BACKENDS, PersistenceConfigError, persistence_env
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
    "PersistenceConfigError",
    "SameAccountTransferError",
    "persistence_env",
]
