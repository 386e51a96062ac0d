"""Probes: what an application reads, which thread processes an event, a
prompt held back; each on one object, for one block."""

import threading
from decimal import Decimal
from uuid import UUID

from eventsourcing.system import Leader, MultiThreadedRunner, NewSingleThreadedRunner, System

from bank import Account, AccountService, EventSourcedBank, LedgerService
from bank.variants.single_process import SingleProcessBank
from course.probes import PromptHold, counting_reads, recording_threads, thread_label

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


def test_recording_threads_names_the_thread_that_processed_each_event():
    with EventSourcedBank() as bank, recording_threads(bank.ledger) as seen:
        account_with_deposits(bank.accounts, 2)
    assert {label for _, label in seen} == {"MainThread"}
    with EventSourcedBank(runner_class=MultiThreadedRunner) as bank, recording_threads(bank.ledger) as seen:
        account_with_deposits(bank.accounts, 2)
        bank.wait_for_ledger()
    assert {label for _, label in seen} == {"MultiThreadedRunnerThread"}
    assert "process_event" not in vars(bank.ledger)


def test_thread_label_is_the_same_on_every_run():
    assert thread_label(threading.main_thread()) == "MainThread"
    assert thread_label(threading.Thread()) == "Thread"


def race(accounts: AccountService, ledger: LedgerService) -> list[Exception]:
    """Alice's deposit is recorded first but prompts after Bob's."""
    alice, bob = accounts.open_account("Alice"), accounts.open_account("Bob")
    hold, errors = PromptHold(accounts), []

    def deposit_for_alice() -> None:
        try:
            accounts.deposit(alice, Decimal("1.00"))
        except Exception as error:
            errors.append(error)

    thread = threading.Thread(target=deposit_for_alice)
    thread.start()
    assert hold.recorded.wait(5)
    accounts.deposit(bob, Decimal("2.00"))
    hold.release()
    thread.join()
    return errors


class LockFreeAccounts(Leader[UUID]):
    """The account service written as the library's examples write one:
    commands from several threads run at once."""

    name = "AccountService"

    def open_account(self, owner: str) -> UUID:
        account = Account.open(owner)
        self.save(account)
        return account.id

    def deposit(self, account_id: UUID, amount: Decimal) -> None:
        account = self.repository.get(account_id)
        account.credit(amount)
        self.save(account)


def test_a_held_prompt_goes_out_after_a_later_one_on_the_library_system():
    with NewSingleThreadedRunner(System(pipes=[[LockFreeAccounts, LedgerService]])) as runner:
        errors = race(runner.get(LockFreeAccounts), runner.get(LedgerService))
        assert [type(error).__name__ for error in errors] == ["IntegrityError"]
        assert runner.get(LedgerService).get_balance() == Decimal("2.00")  # Alice's 1.00 is skipped for ever


def test_the_bank_records_and_prompts_one_command_at_a_time_despite_a_held_prompt():
    with SingleProcessBank() as bank:  # NewSingleThreadedRunner, with the bank's AccountService
        assert race(bank.accounts, bank.ledger) == []
        assert bank.ledger.get_balance() == Decimal("3.00")
