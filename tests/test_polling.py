"""SQLite application recorders with polling subscriptions: everything
after `gt`, in order, then new events as they are recorded, until stopped."""

import threading
from decimal import Decimal

import pytest
from eventsourcing.utils import get_topic

from bank import Account, AccountService
from bank.polling import PollingSQLiteApplicationRecorder, PollingSubscription, polling_env


@pytest.fixture
def accounts(sqlite_env):
    service = AccountService(env=sqlite_env | polling_env())
    yield service
    service.close()


def test_the_setting_selects_the_polling_recorder(accounts):
    assert type(accounts.recorder) is PollingSQLiteApplicationRecorder


def test_the_library_sqlite_recorder_has_no_subscriptions(sqlite_env):
    with pytest.raises(NotImplementedError):
        AccountService(env=sqlite_env).recorder.subscribe()


def test_yields_recorded_events_then_new_ones(accounts):
    alice = accounts.open_account("Alice")
    accounts.deposit(alice, Decimal("10.00"))
    with accounts.recorder.subscribe() as subscription:
        assert [next(subscription).id for _ in range(2)] == [1, 2]
        accounts.withdraw(alice, Decimal("3.00"))
        new = next(subscription)
        assert new.id == 3
        assert new.topic == get_topic(Account.Debited)


def test_starts_after_gt_and_filters_by_topic(accounts):
    alice = accounts.open_account("Alice")
    for _ in range(3):
        accounts.deposit(alice, Decimal("1.00"))
    credited = get_topic(Account.Credited)
    with accounts.recorder.subscribe(gt=2, topics=[credited]) as subscription:
        assert [next(subscription).id for _ in range(2)] == [3, 4]


def test_stopping_ends_a_waiting_iteration(accounts):
    subscription = PollingSubscription(accounts.recorder)
    with subscription:
        threading.Timer(0.1, subscription.stop).start()
        assert list(subscription) == []
