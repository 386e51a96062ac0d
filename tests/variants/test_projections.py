"""Projections: the account summaries view (one row per account, updated
atomically with the position of each event, so that it can restart
anywhere), and the polling subscriptions that feed it on SQLite (everything
after `gt`, in order, then new events as they are recorded, until stopped)."""

import sqlite3
import threading
from contextlib import closing
from decimal import Decimal
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import ProjectionRunner
from eventsourcing.utils import get_topic

from bank import Account, AccountService
from bank.persistence import PollingSQLiteApplicationRecorder, PollingSubscription
from bank.variants.projections import (
    AccountSummaries,
    AccountSummary,
    SQLiteAccountSummaries,
    last_position,
    summaries_env,
    view_env,
)


@pytest.fixture
def env(tmp_path):
    return summaries_env(tmp_path / "data")


@pytest.fixture
def accounts(env):
    service = AccountService(env=env)
    yield service
    service.close()


def runner(env) -> ProjectionRunner:
    return ProjectionRunner(
        application_class=AccountService,
        projection_class=AccountSummaries,
        view_class=SQLiteAccountSummaries,
        env=env,
    )


def catch_up(env, accounts: AccountService) -> None:
    with runner(env) as running:
        running.wait(last_position(accounts.recorder, AccountSummaries.topics), timeout=10)


def table(env) -> list[tuple]:
    with closing(sqlite3.connect(env["ACCOUNTSUMMARIES_SQLITE_DBNAME"])) as connection:
        return connection.execute(
            "SELECT owner, balance_cents, transactions FROM account_summaries ORDER BY owner"
        ).fetchall()


def test_the_view_summarises_each_account(env, accounts):
    alice = accounts.open_account("Alice")
    bob = accounts.open_account("Bob", overdraft_limit=Decimal("50.00"))
    accounts.deposit(alice, Decimal("100.00"))
    accounts.transfer(alice, bob, Decimal("25.50"))
    accounts.withdraw(bob, Decimal("40.00"))
    with runner(env) as running:
        running.wait(accounts.recorder.max_notification_id(), timeout=10)
        assert running.view.get_summary(alice) == AccountSummary("Alice", Decimal("74.50"), 2)
        assert running.view.get_summary(bob) == AccountSummary("Bob", Decimal("-14.50"), 2)
    assert table(env) == [("Alice", 7450, 2), ("Bob", -1450, 2)]


def test_the_view_follows_new_events_while_running(env, accounts):
    alice = accounts.open_account("Alice")
    with runner(env) as running:
        accounts.deposit(alice, Decimal("5.00"))
        running.wait(accounts.recorder.max_notification_id(), timeout=10)
        assert running.view.get_summary(alice).balance == Decimal("5.00")


def test_a_restart_continues_where_it_stopped(env, accounts):
    alice = accounts.open_account("Alice")
    accounts.deposit(alice, Decimal("10.00"))
    catch_up(env, accounts)
    accounts.deposit(alice, Decimal("1.00"))
    accounts.withdraw(alice, Decimal("2.00"))
    assert table(env) == [("Alice", 1000, 1)]  # stopped: not updated
    catch_up(env, accounts)
    assert table(env) == [("Alice", 900, 3)]
    catch_up(env, accounts)  # nothing new: nothing counted twice
    assert table(env) == [("Alice", 900, 3)]


def test_an_event_already_tracked_is_refused_and_changes_nothing(env, accounts):
    alice = accounts.open_account("Alice")
    accounts.deposit(alice, Decimal("10.00"))
    catch_up(env, accounts)
    credited = list(accounts.events.get(alice))[1]
    with runner(env) as running:
        with pytest.raises(IntegrityError):
            running.projection.process_event(credited, Tracking(accounts.name, 2))
        assert running.view.get_summary(alice) == AccountSummary("Alice", Decimal("10.00"), 1)


def test_a_new_view_rebuilds_the_same_table_from_all_events(tmp_path, env, accounts):
    alice = accounts.open_account("Alice")
    accounts.deposit(alice, Decimal("10.00"))
    catch_up(env, accounts)
    fresh = env | {"ACCOUNTSUMMARIES_SQLITE_DBNAME": str(tmp_path / "fresh.sqlite")}
    catch_up(fresh, accounts)
    assert table(fresh) == table(env) == [("Alice", 1000, 1)]


def test_a_new_account_has_an_empty_summary_and_an_unknown_one_none(env, accounts):
    alice = accounts.open_account("Alice")
    with runner(env) as running:
        running.wait(accounts.recorder.max_notification_id(), timeout=10)
        assert running.view.get_summary(alice) == AccountSummary("Alice", Decimal("0.00"), 0)
        assert running.view.get_summary(UUID(int=0)) is None


def test_the_last_position_is_that_of_the_last_event_of_the_topics(accounts):
    alice = accounts.open_account("Alice")  # 1
    accounts.deposit(alice, Decimal("10.00"))  # 2
    accounts.set_overdraft_limit(alice, Decimal("5.00"))  # 3
    assert last_position(accounts.recorder, AccountSummaries.topics) == 2
    assert last_position(accounts.recorder) == accounts.recorder.max_notification_id() == 3
    assert last_position(accounts.recorder, AccountSummaries.topics, after=2) == 2
    assert last_position(accounts.recorder, [get_topic(Account.Closed)]) is None


def test_the_last_position_pages_through_a_long_log(accounts):
    alice = accounts.open_account("Alice")
    for _ in range(600):
        accounts.deposit(alice, Decimal("1.00"))
    accounts.set_overdraft_limit(alice, Decimal("5.00"))
    assert last_position(accounts.recorder, AccountSummaries.topics) == 601


def test_a_projection_with_topics_tracks_only_the_events_of_its_topics(env, accounts):
    # So after an event it does not follow, the log's head is a position the
    # view never reaches: wait for last_position instead.
    alice = accounts.open_account("Alice")
    accounts.deposit(alice, Decimal("10.00"))
    accounts.set_overdraft_limit(alice, Decimal("5.00"))
    with runner(env) as running:
        running.wait(last_position(accounts.recorder, AccountSummaries.topics), timeout=10)
        assert running.view.max_tracking_id(accounts.name) == 2
    assert accounts.recorder.max_notification_id() == 3


def test_the_view_follows_an_account_service_on_postgresql_with_the_library_subscription(postgres_env, tmp_path):
    env = postgres_env | view_env(tmp_path)
    accounts = AccountService(env=env)
    alice = accounts.open_account("Alice")
    with runner(env) as running:
        accounts.deposit(alice, Decimal("7.00"))
        running.wait(last_position(accounts.recorder, AccountSummaries.topics), timeout=10)
        assert running.view.get_summary(alice) == AccountSummary("Alice", Decimal("7.00"), 1)
    accounts.close()
    assert table(env) == [("Alice", 700, 1)]


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
