"""Probes: what an application reads; a call held back, so that a race
between threads happens every time. The races are the library's runner gaps
that chapter 17 reproduces (eventsourcing 9.5.6), and what the bank does
about each: if the library changes, these tests say so."""

import tempfile
import threading
import time
from decimal import Decimal

from eventsourcing.system import NewMultiThreadedRunner, NewSingleThreadedRunner, SingleThreadedRunner, System

from bank import AccountService, EventSourcedBank, LedgerService, persistence_env
from bank.variants.single_process import SingleProcessBank
from course.probes import Hold, LockFreeAccounts, counting_reads, hold_lock_release, hold_prompt, race

NO_CACHE = {"AGGREGATE_CACHE_MAXSIZE": ""}


def account_with_deposits(service: AccountService, deposits: int):
    alice = service.open_account("Alice")
    for _ in range(deposits):
        service.deposit(alice, Decimal("1.00"))
    return alice


def test_a_read_without_snapshots_replays_every_event():
    service = AccountService(env=NO_CACHE | {"IS_SNAPSHOTTING_ENABLED": "n"})
    alice = account_with_deposits(service, 60)
    with counting_reads(service) as reads:
        service.get_account(alice)
    assert (reads.snapshot_queries, reads.event_queries, reads.events) == (0, 1, 61)


def test_a_read_with_snapshots_replays_the_events_after_the_latest():
    service = AccountService(env=NO_CACHE)
    alice = account_with_deposits(service, 60)
    with counting_reads(service) as reads:
        service.get_account(alice)
    assert reads == type(reads)(snapshot_queries=1, snapshots=1, event_queries=1, events=11)


def test_a_cached_read_asks_only_for_newer_events():
    service = AccountService()  # the cache, with fast-forward
    alice = account_with_deposits(service, 60)
    service.get_account(alice)
    with counting_reads(service) as reads:
        service.get_account(alice)
    assert (reads.snapshot_queries, reads.event_queries, reads.events) == (0, 1, 0)


def test_reads_are_counted_only_inside_the_block():
    service = AccountService(env=NO_CACHE)
    alice = account_with_deposits(service, 3)
    with counting_reads(service) as reads:
        pass
    service.get_account(alice)
    assert reads.event_queries == 0
    assert "select_events" not in vars(service.recorder)


def test_log_queries_are_counted():
    with EventSourcedBank() as bank, counting_reads(bank.accounts) as reads:
        account_with_deposits(bank.accounts, 2)
    assert reads.log_queries > 0


class Greeter:
    def greet(self, name: str) -> str:
        return f"hello {name}"


def test_a_hold_holds_the_next_call_only_until_released():
    greeter = Greeter()
    hold, answers = Hold(greeter, "greet", timeout=5), []
    thread = threading.Thread(target=lambda: answers.append(greeter.greet("Alice")))
    thread.start()
    assert hold.reached.wait(5)
    assert answers == []  # held
    assert greeter.greet("Bob") == "hello Bob"  # not held: only the next call is
    hold.release()
    thread.join()
    assert answers == ["hello Alice"]
    assert "greet" not in vars(greeter)


def test_a_hold_lets_go_after_its_timeout():
    greeter = Greeter()
    Hold(greeter, "greet", timeout=0.05)
    start = time.monotonic()
    assert greeter.greet("Alice") == "hello Alice"
    assert time.monotonic() - start >= 0.05


def test_new_single_threaded_runner_skips_an_event_for_ever_when_a_prompt_comes_late():
    with NewSingleThreadedRunner(System(pipes=[[LockFreeAccounts, LedgerService]])) as runner:
        accounts, ledger = runner.get(LockFreeAccounts), runner.get(LedgerService)
        alice, bob = accounts.open_account("Alice"), accounts.open_account("Bob")
        raised = race(accounts, accounts, hold_prompt(accounts), alice, bob)
        assert raised == "IntegrityError: Tracking notification ID 3 not greater than current max tracking ID 4"
        assert accounts.repository.get(alice).balance == Decimal("1.00"), "recorded, though the command raised"
        ledger.pull_and_process(accounts.name)  # the library's catch-up: from the ledger's position on
        assert ledger.recorder.max_tracking_id(accounts.name) == 4, "past Alice's event, at position 3"
        assert ledger.get_balance() == Decimal("2.00"), "Alice's 1.00 is skipped for ever"


def test_the_bank_records_and_prompts_one_command_at_a_time_despite_a_held_prompt():
    with SingleProcessBank() as bank:  # NewSingleThreadedRunner, with the bank's AccountService
        alice, bob = bank.accounts.open_account("Alice"), bank.accounts.open_account("Bob")
        assert race(bank.accounts, bank.accounts, hold_prompt(bank.accounts), alice, bob) == "nothing"
        assert bank.ledger.get_balance() == Decimal("3.00")


def test_single_threaded_runner_leaves_a_prompt_to_the_next_command_when_two_finish_together():
    with SingleThreadedRunner(System(pipes=[[LockFreeAccounts, LedgerService]])) as runner:
        accounts, ledger = runner.get(LockFreeAccounts), runner.get(LedgerService)
        alice, bob = accounts.open_account("Alice"), accounts.open_account("Bob")
        assert race(accounts, accounts, hold_lock_release(runner), alice, bob) == "nothing"
        assert ledger.get_balance() == Decimal("1.00"), "Bob's deposit returned, not yet processed"
        accounts.deposit(alice, Decimal("4.00"))  # the next command's prompt
        assert ledger.get_balance() == Decimal("7.00")


def test_the_bank_closes_the_single_threaded_runners_window():
    with EventSourcedBank() as bank:
        alice, bob = bank.accounts.open_account("Alice"), bank.accounts.open_account("Bob")
        assert race(bank.accounts, bank.accounts, hold_lock_release(bank.runner), alice, bob) == "nothing"
        assert bank.ledger.get_balance() == Decimal("3.00")


def test_two_banks_on_one_database_refuse_a_second_processing_in_a_recorded_command():
    with tempfile.TemporaryDirectory() as folder:
        env = persistence_env("sqlite", folder)
        with EventSourcedBank(env) as one, EventSourcedBank(env) as two:
            alice, bob = one.accounts.open_account("Alice"), one.accounts.open_account("Bob")
            raised = race(one.accounts, two.accounts, Hold(one.ledger, "process_event", timeout=5), alice, bob)
            assert raised.startswith("IntegrityError")
            assert one.accounts.get_balance(alice) == Decimal("1.00"), "recorded, though the command raised"
            assert (two.ledger.get_balance(), two.ledger.get_transaction_count()) == (Decimal("3.00"), 2)


def test_new_multi_threaded_runner_drops_prompts_beyond_its_queue_and_the_next_command_catches_up():
    with NewMultiThreadedRunner(System(pipes=[[AccountService, LedgerService]])) as runner:
        accounts, ledger = runner.get(AccountService), runner.get(LedgerService)
        (pulling,) = runner.pulling_threads[accounts.name]
        alice = accounts.open_account("Alice")
        with pulling.converting_queue.mutex:  # the pulling thread waits at its next hand-over
            for _ in range(150):
                accounts.deposit(alice, Decimal("1.00"))
        assert pulling.overflow_event.is_set()
        time.sleep(0.5)
        assert ledger.get_transaction_count() < 150
        accounts.deposit(alice, Decimal("1.00"))
        ledger.recorder.wait(accounts.name, accounts.recorder.max_notification_id(), timeout=5)
        assert ledger.get_transaction_count() == 151
