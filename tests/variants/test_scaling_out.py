"""Several ledgers, one per share of the accounts, add up to the one ledger."""

from decimal import Decimal

import pytest

from bank import AccountService, LedgerService
from bank.scaling_out import ledger_partition, partition_of, run_ledger


def test_one_partition_is_the_bank_ledger():
    assert ledger_partition(0, 1) is LedgerService


def test_a_partition_index_must_exist():
    with pytest.raises(ValueError, match="between 0 and 2"):
        ledger_partition(3, 3)


def test_partitions_have_their_own_names_and_ledgers():
    first, second = ledger_partition(0, 2), ledger_partition(1, 2)
    assert (first.name, second.name) == ("LedgerPartition1of2", "LedgerPartition2of2")
    assert first.LEDGER_NAME != second.LEDGER_NAME


def test_partitions_together_record_every_transaction_once(postgres_env):
    accounts = AccountService(env=postgres_env)
    ids = [accounts.open_account(f"Owner {n}") for n in range(8)]
    for n, account_id in enumerate(ids, 1):
        accounts.deposit(account_id, Decimal(n))
    accounts.transfer(ids[0], ids[1], Decimal("0.50"))
    partitions = [ledger_partition(k, 3) for k in range(3)]
    for partition in partitions:
        run_ledger(env=postgres_env, ledger_class=partition, until_idle=True)
    run_ledger(env=postgres_env, until_idle=True)

    ledgers = [cls(env=postgres_env) for cls in [*partitions, LedgerService]]
    *shares, whole = ledgers
    assert sum(s.get_balance() for s in shares) == whole.get_balance() == Decimal(36)
    assert sum(s.get_transaction_count() for s in shares) == whole.get_transaction_count() == 10
    for k, share in enumerate(shares):
        mine = [i for i in ids if partition_of(i, 3) == k]
        assert share.get_balance() == sum(accounts.get_balance(i) for i in mine)
    for app in [*ledgers, accounts]:
        app.close()
