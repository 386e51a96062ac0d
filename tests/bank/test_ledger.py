"""The Ledger aggregate."""

from decimal import Decimal

from bank import Ledger


def test_ledger_id_is_deterministic_from_its_name():
    assert Ledger.create_id("bank") == Ledger.create_id("bank")
    assert Ledger.create_id("bank") != Ledger.create_id("other")
    assert Ledger("bank").id == Ledger.create_id("bank")


def test_transactions_add_up_with_their_signs():
    ledger = Ledger("bank")
    ledger.add_transaction(Decimal("10.00"))
    ledger.add_transaction(Decimal("-2.50"))
    assert (ledger.name, ledger.balance, ledger.transaction_count) == ("bank", Decimal("7.50"), 2)
    assert [type(e).__name__ for e in ledger.collect_events()] == ["Opened", "TransactionAdded", "TransactionAdded"]
