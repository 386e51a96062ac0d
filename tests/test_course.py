"""The notebooks' shared helpers: self-checks and stored-event tables."""

from decimal import Decimal

from bank import AccountService
from bank.course import PASSED, check, stored_events_table


def verdict(capsys, test) -> str:
    assert check(test, "hint: try again") is None
    return capsys.readouterr().out.strip()


def test_check_passes_when_the_test_does_not_fail(capsys):
    assert verdict(capsys, lambda: None) == PASSED
    assert verdict(capsys, lambda: sum([1, 1]) == 2) == PASSED


def test_check_says_not_yet_on_a_failed_assert_or_a_false_result(capsys):
    answer = 41

    def failing():
        assert answer == 42

    assert verdict(capsys, failing) == "Not yet: hint: try again"
    assert verdict(capsys, lambda: answer == 42) == "Not yet: hint: try again"


def test_check_says_not_yet_when_the_answer_is_missing(capsys):
    assert verdict(capsys, lambda: undefined_answer) == "Not yet: hint: try again"  # noqa: F821


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
