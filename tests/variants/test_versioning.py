"""Versions 2 and 3 of the account read what version 1 stored: events and
snapshots are upcast through the chain of upcasters, the old topics resolve
to the new classes (in a fresh process too), and the ledger deployed with
them counts the credits of every version."""

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from eventsourcing.system import SingleThreadedRunner, System

from bank import Account, AccountService, EventSourcedBank, LedgerService
from bank.transaction_log import TransactionLogService
from bank.variants.versioning import AccountV2, AccountV3, VersionedLedgerService, deploy_version


@pytest.fixture
def version_1_data(sqlite_env):
    """Alice (credited and debited) and Bob (snapshotted, then credited),
    stored in SQLite by version 1 of the account."""
    deploy_version(1)
    accounts = AccountService(env=sqlite_env)
    alice = accounts.open_account("Alice")
    accounts.deposit(alice, Decimal("100.00"))
    accounts.withdraw(alice, Decimal("30.00"))
    bob = accounts.open_account("Bob")
    accounts.deposit(bob, Decimal("5.00"))
    accounts.take_snapshot(bob)
    accounts.deposit(bob, Decimal("1.00"))
    accounts.close()
    return sqlite_env, alice, bob


@pytest.fixture(params=[2, 3])
def deployed(request, version_1_data):
    """The same data, read by version 2 or 3 (deployed after it was stored)."""
    deploy_version(request.param)
    yield (request.param, *version_1_data)
    deploy_version(1)


@pytest.fixture
def version_2(version_1_data):
    """The same data, read by version 2."""
    deploy_version(2)
    yield version_1_data
    deploy_version(1)


ACCOUNT_CLASSES = {2: AccountV2, 3: AccountV3}
NO_REFERENCE = {2: "", 3: None}


def stored_states(accounts, account_id):
    return [(e.topic, json.loads(e.state)) for e in accounts.recorder.select_events(account_id)]


@pytest.mark.parametrize(("account_class", "reference"), [(AccountV2, ""), (AccountV3, None)])
def test_a_credit_carries_its_reference(account_class, reference):
    account = account_class("Alice")
    account.credit(Decimal("10.00"), reference="invoice 17")
    account.credit(Decimal("5.00"))
    assert account.balance == Decimal("15.00")
    assert account.references == ["invoice 17"]
    with_reference, without = account.collect_events()[1:]
    assert type(with_reference) is account_class.Credited
    assert (with_reference.reference, without.reference) == ("invoice 17", reference)


def test_each_version_of_a_credit_is_a_credit_of_the_versions_before():
    assert issubclass(AccountV3.Credited, AccountV2.Credited)
    assert issubclass(AccountV2.Credited, Account.Credited)


def test_version_3_inherits_the_first_upcaster_and_adds_the_second():
    assert AccountV3.Credited.class_version == 3
    state = {"amount": Decimal("1.00")}
    AccountV3.Credited.upcast_v1_v2(state)
    assert state == {"amount": Decimal("1.00"), "reference": ""}
    AccountV3.Credited.upcast_v2_v3(state)
    assert state == {"amount": Decimal("1.00"), "reference": None}


@pytest.mark.parametrize(("account_class", "version"), [(AccountV2, 2), (AccountV3, 3)])
def test_new_credits_are_stored_with_their_topic_and_class_version(accounts, account_class, version):
    account = account_class("Alice")
    account.credit(Decimal("10.00"), reference="invoice 17")
    accounts.save(account)
    topic, state = stored_states(accounts, account.id)[1]
    assert topic == f"bank.variants.versioning:{account_class.__name__}.Credited"
    assert state["class_version"] == version
    assert state["reference"] == "invoice 17"


def test_without_a_new_version_the_stored_events_read_as_version_1(version_1_data):
    env, alice, _ = version_1_data
    accounts = AccountService(env=env)
    account = accounts.get_account(alice)
    assert type(account) is Account
    assert account.balance == Decimal("70.00")


def test_version_1_events_are_read_as_the_deployed_version(deployed):
    version, env, alice, _ = deployed
    accounts = AccountService(env=env)
    account = accounts.get_account(alice)
    assert type(account) is ACCOUNT_CLASSES[version]
    assert account.balance == Decimal("70.00")
    assert account.references == []
    credited = list(accounts.events.get(alice))[1]
    assert type(credited) is ACCOUNT_CLASSES[version].Credited
    assert credited.reference == NO_REFERENCE[version]
    # The stored version 1 event itself is unchanged.
    topic, state = stored_states(accounts, alice)[1]
    assert topic == "bank.account:Account.Credited"
    assert "reference" not in state
    assert "class_version" not in state


def test_version_1_events_and_new_events_mix(deployed):
    _, env, alice, _ = deployed
    accounts = AccountService(env=env)
    account = accounts.get_account(alice)
    account.credit(Decimal("5.00"), reference="refund")
    accounts.save(account)
    account = accounts.get_account(alice)
    assert account.balance == Decimal("75.00")
    assert account.references == ["refund"]
    assert account.version == 4


def test_version_3_reads_version_2_credits_through_the_second_upcaster(version_2):
    env, alice, _ = version_2
    accounts = AccountService(env=env)
    for reference in ("refund", ""):
        account = accounts.get_account(alice)
        account.credit(Decimal("1.00"), reference=reference)
        accounts.save(account)
    deploy_version(3)
    credits = [e for e in accounts.events.get(alice) if isinstance(e, Account.Credited)]
    assert {type(e) for e in credits} == {AccountV3.Credited}
    assert [e.reference for e in credits] == [None, "refund", None]
    assert accounts.get_account(alice).balance == Decimal("72.00")


def test_a_version_1_snapshot_is_upcast(deployed):
    version, env, _, bob = deployed
    accounts = AccountService(env=env)
    snapshot = next(iter(accounts.snapshots.get(bob)))
    assert "class_version" not in snapshot.state
    from_snapshot = snapshot.mutate(None)
    assert type(from_snapshot) is ACCOUNT_CLASSES[version]
    assert from_snapshot.references == []
    account = accounts.get_account(bob)  # the snapshot, then one more event
    assert account.balance == Decimal("6.00")
    assert account.version == 3
    assert account.references == []


def test_a_new_snapshot_keeps_its_class_version_and_references(deployed):
    _, env, alice, _ = deployed
    accounts = AccountService(env=env)
    account = accounts.get_account(alice)
    account.credit(Decimal("5.00"), reference="refund")
    accounts.save(account)
    accounts.take_snapshot(alice)
    snapshot = list(accounts.snapshots.get(alice))[-1]
    assert snapshot.state["class_version"] == 2  # the account's state did not change in version 3
    assert snapshot.state["references"] == ["refund"]
    assert snapshot.mutate(None).references == ["refund"]


def test_deploying_version_1_undoes_a_deployment(version_1_data):
    env, alice, _ = version_1_data
    deploy_version(3)
    deploy_version(1)
    accounts = AccountService(env=env)
    assert type(accounts.get_account(alice)) is Account


def test_there_is_no_version_4():
    with pytest.raises(ValueError, match="no version 4"):
        deploy_version(4)


READ_IN_A_FRESH_PROCESS = """
import sys
from uuid import UUID
from bank import AccountService
from bank.variants.versioning import deploy_version

deploy_version(int(sys.argv[1]))
account = AccountService().get_account(UUID(sys.argv[2]))
print(type(account).__name__, account.balance, account.references)
"""


@pytest.mark.parametrize("version", [2, 3])
def test_a_version_is_deployed_in_a_fresh_process(version_1_data, version):
    env, alice, _ = version_1_data
    result = subprocess.run(
        [sys.executable, "-c", READ_IN_A_FRESH_PROCESS, str(version), str(alice)],
        env=os.environ | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [f"AccountV{version}", "70.00", "[]"]


# The followers: the ledger's policy matches the credits of every version.


def deposit_with_reference(accounts: AccountService, account_id, amount: str) -> None:
    account = accounts.get_account(account_id)
    account.credit(Decimal(amount), reference="salary")
    accounts.save(account)


def caught_up(ledger_class: type[LedgerService], env, accounts: AccountService) -> LedgerService:
    ledger = ledger_class(env=env)
    ledger.follow(accounts.name, accounts.notification_log)
    ledger.pull_and_process(accounts.name)
    return ledger


def test_the_versioned_ledger_counts_the_credits_of_every_version(deployed):
    _, env, alice, bob = deployed
    accounts = AccountService(env=env)
    deposit_with_reference(accounts, alice, "20.00")
    ledger = caught_up(VersionedLedgerService, env, accounts)
    assert ledger.name == "LedgerService"
    assert ledger.get_balance() == accounts.get_balance(alice) + accounts.get_balance(bob) == Decimal("96.00")
    assert ledger.get_transaction_count() == 5


class VersionedBank(EventSourcedBank):
    system = System(pipes=[[AccountService, VersionedLedgerService], [AccountService, TransactionLogService]])


def test_the_bank_with_the_versioned_ledger_counts_and_logs_every_credit(deployed):
    _, env, alice, bob = deployed
    with VersionedBank(env, runner_class=SingleThreadedRunner) as bank:
        deposit_with_reference(bank.accounts, bob, "20.00")
        bank.accounts.deposit(alice, Decimal("1.00"))
        bank.wait_for_ledger()
        assert bank.ledger.get_balance() == Decimal("97.00")
        kinds = [entry.kind for entry in bank.transactions.get_transactions()]
        assert kinds.count("credited") == 5
