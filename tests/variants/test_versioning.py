"""Version 2 of the account reads what version 1 stored: events and
snapshots are upcast, and the old topics resolve to the new classes."""

import json
from decimal import Decimal

import pytest
from eventsourcing.utils import clear_topic_cache

from bank import Account, AccountService
from bank.versioning import AccountV2, deploy_version_2


@pytest.fixture
def version_1_data(sqlite_env):
    """Alice (credited and debited) and Bob (snapshotted, then credited),
    stored in SQLite by version 1 of the account."""
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


@pytest.fixture
def version_2(version_1_data):
    """The same data, read by version 2 (deployed after it was stored)."""
    deploy_version_2()
    yield version_1_data
    clear_topic_cache()


def stored_states(accounts, account_id):
    return [(e.topic, json.loads(e.state)) for e in accounts.recorder.select_events(account_id)]


def test_a_credit_carries_its_reference():
    account = AccountV2("Alice")
    account.credit(Decimal("10.00"), reference="invoice 17")
    account.credit(Decimal("5.00"))
    assert account.balance == Decimal("15.00")
    assert account.references == ["invoice 17"]
    credited = account.collect_events()[1]
    assert type(credited) is AccountV2.Credited
    assert credited.reference == "invoice 17"


def test_version_2_credits_are_stored_with_their_class_version(accounts):
    account = AccountV2("Alice")
    account.credit(Decimal("10.00"), reference="invoice 17")
    accounts.save(account)
    topic, state = stored_states(accounts, account.id)[1]
    assert topic == "bank.versioning:AccountV2.Credited"
    assert state["class_version"] == 2
    assert state["reference"] == "invoice 17"


def test_without_version_2_the_stored_events_read_as_version_1(version_1_data):
    env, alice, _ = version_1_data
    accounts = AccountService(env=env)
    account = accounts.get_account(alice)
    assert type(account) is Account
    assert account.balance == Decimal("70.00")


def test_version_1_events_are_read_as_version_2(version_2):
    env, alice, _ = version_2
    accounts = AccountService(env=env)
    account = accounts.get_account(alice)
    assert type(account) is AccountV2
    assert account.balance == Decimal("70.00")
    assert account.references == []
    credited = list(accounts.events.get(alice))[1]
    assert type(credited) is AccountV2.Credited
    assert credited.reference == ""
    # The stored version 1 event itself is unchanged.
    topic, state = stored_states(accounts, alice)[1]
    assert topic == "bank.account:Account.Credited"
    assert "reference" not in state
    assert "class_version" not in state


def test_version_1_events_and_version_2_events_mix(version_2):
    env, alice, _ = version_2
    accounts = AccountService(env=env)
    account = accounts.get_account(alice)
    account.credit(Decimal("5.00"), reference="refund")
    accounts.save(account)
    account = accounts.get_account(alice)
    assert account.balance == Decimal("75.00")
    assert account.references == ["refund"]
    assert account.version == 4


def test_a_version_1_snapshot_is_upcast(version_2):
    env, _, bob = version_2
    accounts = AccountService(env=env)
    snapshot = next(iter(accounts.snapshots.get(bob)))
    assert "class_version" not in snapshot.state
    from_snapshot = snapshot.mutate(None)
    assert type(from_snapshot) is AccountV2
    assert from_snapshot.references == []
    account = accounts.get_account(bob)  # the snapshot, then one more event
    assert account.balance == Decimal("6.00")
    assert account.version == 3
    assert account.references == []


def test_a_version_2_snapshot_keeps_its_class_version_and_references(version_2):
    env, alice, _ = version_2
    accounts = AccountService(env=env)
    account = accounts.get_account(alice)
    account.credit(Decimal("5.00"), reference="refund")
    accounts.save(account)
    accounts.take_snapshot(alice)
    snapshot = list(accounts.snapshots.get(alice))[-1]
    assert snapshot.state["class_version"] == 2
    assert snapshot.state["references"] == ["refund"]
    assert snapshot.mutate(None).references == ["refund"]


def test_clearing_the_topic_cache_undoes_the_deployment(version_1_data):
    env, alice, _ = version_1_data
    deploy_version_2()
    clear_topic_cache()
    accounts = AccountService(env=env)
    assert type(accounts.get_account(alice)) is Account
