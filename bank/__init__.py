"""An event-sourced bank, small enough to learn the `eventsourcing` library with.

The public API is the names below. Each is imported on first use, so that
`python -m bank.check` can report a missing library instead of failing here.
"""

from importlib import import_module

_EXPORTS = {
    "Account": "bank.account",
    "AccountService": "bank.account_service",
    "AccountClosedError": "bank.errors",
    "AccountNotFoundError": "bank.errors",
    "BalanceNotZeroError": "bank.errors",
    "BankError": "bank.errors",
    "InsufficientFundsError": "bank.errors",
    "InvalidAmountError": "bank.errors",
    "InvalidOwnerError": "bank.errors",
    "SameAccountTransferError": "bank.errors",
    "EventSourcedBank": "bank.system",
    "Ledger": "bank.ledger",
    "LedgerService": "bank.ledger_service",
    "BACKENDS": "bank.persistence",
    "PersistenceConfigError": "bank.persistence",
    "persistence_env": "bank.persistence",
    "embedded_postgres": "bank.postgres",
    "postgres_env": "bank.postgres",
    "SingleProcessBank": "bank.single_process",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        msg = f"module 'bank' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
