"""The process manager: a transfer in steps, run by two applications that
follow each other in a loop. Whatever happens (overdrawing, closed
accounts, the library's four runners, either process killed at random
points on SQLite and PostgreSQL), money is never made or lost, every
transfer ends completed, refunded or rejected, and no step is carried out
twice.

The figures of the kill test (kills, transfers, outcomes) are printed: run
with `-s` to see them."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from random import Random
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError
from eventsourcing.system import (
    MultiThreadedRunner,
    NewMultiThreadedRunner,
    NewSingleThreadedRunner,
    Runner,
    SingleThreadedRunner,
)
from eventsourcing.utils import get_topic
from hypothesis import given
from hypothesis import strategies as st

from bank import Account, InvalidAmountError, SameAccountTransferError, persistence_env
from bank.variants.process_manager import Accounts, Receipt, Transfer, Transfers, loop_env, transfer_system

STEPS = {"completed": 2, "refunded": 3, "rejected": 1}  # receipts (steps carried out or refused) per ending
VERSIONS = {"completed": 3, "refunded": 4, "rejected": 2}  # events per ending, Requested included


@contextmanager
def running_loop(runner_class: type[Runner] = SingleThreadedRunner) -> Iterator[tuple[Accounts, Transfers]]:
    """The loop's two applications, in memory, run by `runner_class`."""
    runner = runner_class(transfer_system, env=persistence_env("memory"))
    runner.start()
    try:
        yield runner.get(Accounts), runner.get(Transfers)
    finally:
        runner.stop()


@pytest.fixture
def loop() -> Iterator[tuple[Accounts, Transfers]]:
    with running_loop() as apps:
        yield apps


@pytest.fixture
def by_hand() -> tuple[Accounts, Transfers]:
    """The loop's two applications following each other, with no runner:
    each pulls only when told to."""
    env = persistence_env("memory")
    accounts, transfers = Accounts(env=env), Transfers(env=env)
    accounts.follow(transfers.name, transfers.notification_log)
    transfers.follow(accounts.name, accounts.notification_log)
    return accounts, transfers


def open_accounts(accounts: Accounts, openings: list[Decimal], closed: int = 0) -> list[UUID]:
    """Accounts with these opening deposits, then `closed` closed ones (empty)."""
    ids = []
    for n, opening in enumerate(openings):
        ids.append(accounts.open_account(f"Owner {n}"))
        if opening:
            accounts.deposit(ids[-1], opening)
    for n in range(closed):
        ids.append(accounts.open_account(f"Closed {n}"))
        accounts.close_account(ids[-1])
    return ids


def count_topic(app: Accounts | Transfers, event_class: type) -> int:
    return len(app.recorder.select_notifications(start=None, limit=10**6, topics=[get_topic(event_class)]))


def requested(transfers: Transfers) -> list[UUID]:
    """The ids of every transfer requested so far."""
    notifications = transfers.recorder.select_notifications(
        start=None, limit=10**6, topics=[get_topic(Transfer.Requested)]
    )
    return [UUID(str(n.originator_id)) for n in notifications]


def have_ended(transfers: Transfers) -> bool:
    return all(transfers.get_transfer(t).status in Transfer.ENDS for t in requested(transfers))


def check_the_invariant(accounts: Accounts, transfers: Transfers, ids: list[UUID], openings: list[Decimal]) -> Counter:
    """Every transfer has ended, each step once, and each account's balance
    is its opening deposit plus what the completed transfers moved. Return
    the endings, counted."""
    expected = dict(zip(ids, [*openings, *[Decimal("0.00")] * (len(ids) - len(openings))], strict=True))
    endings = Counter()
    for transfer_id in requested(transfers):
        transfer = transfers.get_transfer(transfer_id)
        assert transfer.status in Transfer.ENDS
        assert transfer.version == VERSIONS[transfer.status], "each step taken once"
        endings[transfer.status] += 1
        if transfer.status == "completed":
            expected[transfer.source] -= transfer.amount
            expected[transfer.destination] += transfer.amount
    assert {i: accounts.get_balance(i) for i in ids} == expected, "no debit or credit missing or repeated"
    assert sum(expected.values()) == sum(openings), "money is only moved"
    moved = endings["completed"] + endings["refunded"]
    assert count_topic(accounts, Account.Debited) == moved
    assert count_topic(accounts, Account.Credited) == len([o for o in openings if o]) + moved
    assert count_topic(accounts, Receipt.Issued) == sum(STEPS[status] * n for status, n in endings.items())
    return endings


def test_a_transfer_completes_in_three_events(loop):
    accounts, transfers = loop
    alice, bob = open_accounts(accounts, [Decimal("100.00"), Decimal("0.00")])
    transfer_id = transfers.request_transfer(alice, bob, Decimal("30.00"))
    events = transfers.events.get(transfer_id)
    assert [type(e).__qualname__ for e in events] == ["Transfer.Requested", "Transfer.Debited", "Transfer.Completed"]
    assert (accounts.get_balance(alice), accounts.get_balance(bob)) == (Decimal("70.00"), Decimal("30.00"))


def test_a_closed_destination_refuses_and_the_money_goes_back(loop):
    accounts, transfers = loop
    alice, closed = open_accounts(accounts, [Decimal("100.00")], closed=1)
    transfer = transfers.get_transfer(transfers.request_transfer(alice, closed, Decimal("30.00")))
    assert transfer.status == "refunded"
    assert [type(e).__qualname__ for e in transfers.events.get(transfer.id)][1:] == [
        "Transfer.Debited",
        "Transfer.CreditRefused",
        "Transfer.Refunded",
    ]
    assert transfer.refusal == f"account {closed} is closed"
    assert accounts.get_balance(alice) == Decimal("100.00")


@pytest.mark.parametrize(
    ("source_is", "refusal"),
    [("overdrawn", "cannot debit 30.00: balance 10.00, overdraft limit 0.00"), ("missing", "no account with id")],
)
def test_a_refused_debit_rejects_the_transfer_and_moves_nothing(loop, source_is, refusal):
    accounts, transfers = loop
    source, destination = open_accounts(accounts, [Decimal("10.00"), Decimal("0.00")])
    if source_is == "missing":
        source = UUID(int=1)
    transfer = transfers.get_transfer(transfers.request_transfer(source, destination, Decimal("30.00")))
    assert (transfer.status, transfer.version) == ("rejected", 2)
    assert transfer.refusal.startswith(refusal)
    assert accounts.get_balance(destination) == Decimal("0.00")


@pytest.mark.parametrize(
    ("amount", "same", "error"),
    [(Decimal("0.001"), False, InvalidAmountError), (Decimal("5.00"), True, SameAccountTransferError)],
)
def test_a_bad_request_is_refused_and_records_nothing(loop, amount, same, error):
    accounts, transfers = loop
    alice, bob = open_accounts(accounts, [Decimal("100.00"), Decimal("0.00")])
    with pytest.raises(error):
        transfers.request_transfer(alice, alice if same else bob, amount)
    assert transfers.recorder.max_notification_id() is None


def test_a_refund_refused_leaves_the_transfer_stuck_for_a_person(by_hand):
    accounts, transfers = by_hand  # pulled by hand, so that the source can be closed between two steps
    source, closed = open_accounts(accounts, [Decimal("30.00")], closed=1)
    transfer_id = transfers.request_transfer(source, closed, Decimal("30.00"))
    for _ in range(2):  # debit, then the credit refused
        accounts.pull_and_process(transfers.name)
        transfers.pull_and_process(accounts.name)
    assert transfers.get_transfer(transfer_id).status == "refunding"
    accounts.close_account(source)  # its balance is 0.00 while the money is on its way back
    accounts.pull_and_process(transfers.name)
    transfers.pull_and_process(accounts.name)
    transfer = transfers.get_transfer(transfer_id)
    assert (transfer.status, transfer.refusal) == ("stuck", f"account {source} is closed")


def test_a_step_can_be_answered_once_only(by_hand):
    accounts, transfers = by_hand
    alice, bob = open_accounts(accounts, [Decimal("100.00"), Decimal("0.00")])
    transfers.request_transfer(alice, bob, Decimal("30.00"))
    accounts.pull_and_process(transfers.name)
    with pytest.raises(IntegrityError):  # delivered again: the tracking record refuses it
        accounts.pull_and_process(transfers.name, start=0)
    assert accounts.get_balance(alice) == Decimal("70.00")


def test_the_other_applications_aggregates_are_not_in_a_policys_repository(loop):
    accounts, transfers = loop
    (alice,) = open_accounts(accounts, [Decimal("1.00")])
    assert alice in accounts.repository
    assert alice not in transfers.repository


@pytest.mark.parametrize(
    "runner_class", [SingleThreadedRunner, NewSingleThreadedRunner, MultiThreadedRunner, NewMultiThreadedRunner]
)
def test_every_runner_of_the_library_runs_the_loop_to_the_end(runner_class):
    with running_loop(runner_class) as (accounts, transfers):
        openings = [Decimal("100.00")] * 4
        ids = open_accounts(accounts, openings, closed=1)
        rng = Random(3)
        for _ in range(40):  # requested at once: on the multi-threaded runners, they overlap
            transfers.request_transfer(*rng.sample(ids, 2), Decimal(rng.randint(1, 6000)) / 100)
        wait_until(lambda: have_ended(transfers), "every transfer to end")
        endings = check_the_invariant(accounts, transfers, ids, openings)
    assert endings.total() == 40


@st.composite
def bank_days(draw):
    """Accounts (some empty, some closed) and transfers between them, some
    overdrawing, some to or from the closed accounts, some to the same account."""
    openings = draw(st.lists(st.integers(0, 10000).map(lambda cents: Decimal(cents) / 100), min_size=1, max_size=4))
    closed = draw(st.integers(0, 2))
    count = len(openings) + closed
    transfers = draw(
        st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1), st.integers(1, 15000)), max_size=12)
    )
    return openings, closed, [(s, d, Decimal(cents) / 100) for s, d, cents in transfers]


@given(bank_days())
def test_money_is_only_moved_and_every_transfer_ends_as_the_accounts_decide(day):
    openings, closed, requests = day
    with running_loop() as (accounts, transfers):
        check_a_day(accounts, transfers, openings, closed, requests)


def check_a_day(accounts: Accounts, transfers: Transfers, openings: list[Decimal], closed: int, requests: list) -> None:
    """Open the accounts, request each transfer, and check that it ends as a
    model of the accounts says, and that the invariant holds at the end."""
    ids = open_accounts(accounts, openings, closed)
    balances = dict(zip(ids, [*openings, *[Decimal("0.00")] * closed], strict=True))
    is_open = {i: n < len(openings) for n, i in enumerate(ids)}
    for s, d, amount in requests:
        source, destination = ids[s], ids[d]
        if source == destination:
            with pytest.raises(SameAccountTransferError):
                transfers.request_transfer(source, destination, amount)
            continue
        status = transfers.get_transfer(transfers.request_transfer(source, destination, amount)).status
        # The single-threaded runner runs each transfer to its end before
        # `request_transfer` returns, so the outcome can be predicted:
        if not is_open[source] or balances[source] < amount:
            assert status == "rejected"
        elif not is_open[destination]:
            assert status == "refunded"
        else:
            assert status == "completed"
            balances[source] -= amount
            balances[destination] += amount
    check_the_invariant(accounts, transfers, ids, openings)
    assert {i: accounts.get_balance(i) for i in ids} == balances


# Each application in an OS process of its own, killed at random points.

KILLS = 8
NAMES = ("accounts", "transfers")


def start(name: str, env: dict[str, str]) -> subprocess.Popen:
    """`python -m bank.variants.process_manager NAME`, returned once it is ready."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bank.variants.process_manager", name],
        env=os.environ | env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    return process


def position(follower: Accounts | Transfers, leader: Accounts | Transfers) -> int:
    """The position in the leader's log of the last event the follower processed."""
    return follower.recorder.max_tracking_id(leader.name) or 0


def pending(follower: Accounts | Transfers, leader: Accounts | Transfers) -> list:
    """Up to 10 of the leader's events the follower has yet to process."""
    return leader.recorder.select_notifications(
        start=position(follower, leader), limit=10, topics=type(follower).topics, inclusive_of_start=False
    )


def wait_until(condition, what: str, timeout: float = 60):
    """Wait for a signal from the database (checked every few milliseconds)
    and return it; the timeout is only a safety net."""
    deadline = time.monotonic() + timeout
    while not (signal_found := condition()):
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.005)
    return signal_found


def test_either_process_killed_at_random_points_moves_every_transfer_once_to_its_end(durable_env):
    env = loop_env(durable_env)
    accounts, transfers = Accounts(env=env), Transfers(env=env)  # this process requests transfers and reads
    apps = {"accounts": (accounts, transfers), "transfers": (transfers, accounts)}  # (follower, leader)
    openings = [Decimal("100.00")] * 4
    ids = open_accounts(accounts, openings, closed=1)
    requests, kill_points = Random(42), Random(7)  # the same transfers every run
    processes = {name: start(name, env) for name in NAMES}
    kills, positions = Counter(), []
    try:
        for _ in range(KILLS):
            for _ in range(5):  # some overdraw, some go to the closed account
                transfers.request_transfer(*requests.sample(ids, 2), Decimal(requests.randint(1, 6000)) / 100)
            name = kill_points.choice(NAMES)
            follower, leader = apps[name]
            work = wait_until(lambda: pending(follower, leader), f"work for {name}")  # noqa: B023
            target = kill_points.choice(work).id
            wait_until(lambda: position(follower, leader) >= target, f"{name} to make progress")  # noqa: B023
            processes[name].send_signal(signal.SIGKILL)  # a crash: no clean-up at all
            assert processes[name].wait() == -signal.SIGKILL
            kills[name] += 1
            positions.append((name, position(follower, leader)))
            processes[name] = start(name, env)  # it carries on from its tracking record
        wait_until(lambda: have_ended(transfers), "every transfer to end")
    finally:
        for process in processes.values():
            process.terminate()
            process.wait()

    endings = check_the_invariant(accounts, transfers, ids, openings)
    print(
        f"\n{env['PERSISTENCE_MODULE']}: {kills.total()} kills ({dict(kills)}), "
        f"{endings.total()} transfers: {dict(endings)}; kill positions {positions}"
    )
    assert endings.total() == 5 * KILLS
    assert set(endings) == set(Transfer.ENDS), "each ending happened"
    for name in NAMES:
        mine = [p for n, p in positions if n == name]
        assert mine == sorted(mine), f"{name} never lost its progress"
    accounts.close()
    transfers.close()
