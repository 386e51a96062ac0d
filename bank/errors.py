"""Domain errors: every refused command raises one of these, and records nothing."""


class BankError(Exception):
    """Base class of every error the bank raises on purpose."""


class InvalidAmountError(BankError, ValueError):
    """An amount is not a positive Decimal (or int) with at most 2 decimal places."""


class InvalidOwnerError(BankError, ValueError):
    """An owner's name is not printable text with a visible character, of at most 100 characters."""


class InsufficientFundsError(BankError):
    """A debit would take the balance below the overdraft limit."""


class OverdraftLimitError(BankError):
    """An overdraft limit would be smaller than the account's debt."""


class AccountClosedError(BankError):
    """The account is closed and accepts no more commands."""


class BalanceNotZeroError(BankError):
    """Only an account whose balance is exactly zero can be closed."""


class SameAccountTransferError(BankError, ValueError):
    """A transfer names the same account as source and destination."""


class AccountNotFoundError(BankError, KeyError):
    """No account has been opened with this id (or the id is not a UUID)."""

    def __str__(self) -> str:
        # KeyError's str() quotes its argument; show the message as written.
        return str(self.args[0]) if self.args else ""


class InvalidQueryError(BankError, ValueError):
    """A query's arguments are not of the kind it takes."""


class BankStoppedError(BankError):
    """A command came after the bank was stopped: nothing was recorded."""


class LostEventsError(BankError):
    """A follower has processed more of a leader's events than the leader has (its database was lost)."""
