"""Property: whatever commands are tried (refused ones included), once the
ledger has caught up its balance is the sum of the account balances, its
count is the number of credits and debits, and every balance matches a
plain-Python model of the rules."""

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bank import BACKENDS, BankError, EventSourcedBank

ACCOUNTS = 3
amounts = st.one_of(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2),
    st.sampled_from([Decimal("0"), Decimal("-5"), Decimal("0.001"), Decimal("NaN"), 1.5, "7"]),
)
commands = st.lists(
    st.tuples(
        st.sampled_from(["deposit", "withdraw", "transfer", "set_overdraft_limit", "close_account"]),
        st.integers(0, ACCOUNTS - 1),
        st.integers(0, ACCOUNTS - 1),
        amounts,
    ),
    max_size=25,
)


class Model:
    """The bank's rules, written the simplest way, as a reference."""

    def __init__(self) -> None:
        self.balance = [Decimal(0)] * ACCOUNTS
        self.limit = [Decimal(0)] * ACCOUNTS
        self.closed = [False] * ACCOUNTS
        self.transactions = 0

    @staticmethod
    def valid(amount, allow_zero=False) -> bool:
        return (
            isinstance(amount, Decimal)
            and amount.is_finite()
            and (amount > 0 or (allow_zero and amount == 0))
            and amount == amount.quantize(Decimal("0.01"))
        )

    def apply(self, name, i, j, amount) -> None:
        if self.closed[i]:
            return
        if name == "deposit" and self.valid(amount):
            self.balance[i] += amount
            self.transactions += 1
        elif name in ("withdraw", "transfer") and self.valid(amount) and self.balance[i] - amount >= -self.limit[i]:
            if name == "transfer" and (i == j or self.closed[j]):
                return
            self.balance[i] -= amount
            self.transactions += 1
            if name == "transfer":
                self.balance[j] += amount
                self.transactions += 1
        elif name == "set_overdraft_limit" and self.valid(amount, allow_zero=True) and self.balance[i] >= -amount:
            self.limit[i] = amount  # never below the account's debt
        elif name == "close_account" and self.balance[i] == 0:
            self.closed[i] = True


def run(bank: EventSourcedBank, script) -> None:
    model = Model()
    ids = [bank.accounts.open_account(f"Owner {n}") for n in range(ACCOUNTS)]
    for name, i, j, amount in script:
        args = {
            "deposit": (ids[i], amount),
            "withdraw": (ids[i], amount),
            "transfer": (ids[i], ids[j], amount),
            "set_overdraft_limit": (ids[i], amount),
            "close_account": (ids[i],),
        }[name]
        with contextlib.suppress(BankError):
            getattr(bank.accounts, name)(*args)
        model.apply(name, i, j, amount)
    bank.wait_for_ledger()
    balances = [bank.accounts.get_balance(i) for i in ids]
    assert balances == model.balance
    assert bank.ledger.get_balance() == sum(balances)
    assert bank.ledger.get_transaction_count() == model.transactions


@pytest.mark.parametrize("backend", BACKENDS)
@given(script=commands)
def test_invariant(fresh_env, backend, script):
    with fresh_env(backend) as env, EventSourcedBank(env) as bank:
        run(bank, script)
