"""Tables of stored events, the same on every run."""

from decimal import Decimal

from bank import AccountService
from course.tables import stored_events_table


def test_stored_events_table_labels_originators_deterministically():
    accounts = AccountService()
    alice = accounts.open_account("Alice")
    bob = accounts.open_account("Bob")
    accounts.deposit(bob, Decimal("5"))
    table = stored_events_table(accounts, {alice: "Alice"})
    assert list(table.index) == [1, 2, 3]
    assert list(table["originator"]) == ["Alice", "#2", "#2"]
    assert list(table["version"]) == [1, 1, 2]
    assert list(table["topic"]) == ["bank.account:Account.Opened"] * 2 + ["bank.account:Account.Credited"]
    assert '"amount":{"_type_":"decimal_str","_data_":"5.00"}' in table["state"].iloc[2]
