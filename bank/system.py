"""EventSourcedBank: the bank's three services as the library's `System`, run by one of its runners."""

from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import WaitInterruptedError
from eventsourcing.system import Follower, MultiThreadedRunner, Runner, SingleThreadedRunner, System

from bank.account_service import AccountService
from bank.errors import LostEventsError
from bank.ledger_service import LedgerService
from bank.transaction_log import TransactionLogService


class EventSourcedBank:
    """The bank's system and its runner; `env` (see `bank.persistence_env`) wins over `os.environ`."""

    system = System(pipes=[[AccountService, LedgerService], [AccountService, TransactionLogService]])
    # Their followers pull from their tracking position: they skip nothing (9.5's "New" runners can: chapter 17).
    runners = (SingleThreadedRunner, MultiThreadedRunner)

    def __init__(self, env: dict[str, str] | None = None, runner_class: type[Runner] = SingleThreadedRunner) -> None:
        if not issubclass(runner_class, self.runners):
            names = " or ".join(runner.__name__ for runner in self.runners)
            raise ValueError(f"{type(self).__name__} runs on {names}, not {runner_class.__name__} (chapter 17: why)")
        self.runner = runner_class(self.system, env=env)
        self.accounts = self.runner.get(AccountService)
        self.ledger = self.runner.get(LedgerService)
        self.transactions = self.runner.get(TransactionLogService)
        self.followers: tuple[Follower[UUID], ...] = (self.ledger, self.transactions)

    def start(self) -> None:
        with self.accounts.lock:
            self.accounts.check_not_closed()  # a stopped bank stays stopped
            if self.runner.is_started:
                return
            for follower in self.followers:
                check_nothing_was_lost(self.accounts, follower)
            self.runner.start()  # (while we hold the lock, no command runs: the followers have nothing new)
            for follower in self.followers:
                follower.pull_and_process(self.accounts.name)  # what was recorded while it was not running

    def stop(self) -> None:
        with self.accounts.lock:  # after the command in flight; later ones raise BankStoppedError
            for thread in getattr(self.runner, "threads", {}).values():  # MultiThreadedRunner's:
                thread.stop()  # each finishes what it is processing before its database closes
                thread.join()
            self.runner.stop()

    def __enter__(self) -> "EventSourcedBank":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def wait_for_ledger(self, timeout: float = 10) -> None:
        """Return once every follower has processed all recorded so far; TimeoutError after `timeout` s."""
        with self.accounts.lock:  # not while a command's followers are processing
            self.accounts.check_not_closed()
            last = self.accounts.recorder.max_notification_id()  # (what another process records later: not waited for)
            if isinstance(self.runner, SingleThreadedRunner) and self.runner.is_started:
                for follower in self.followers:  # they process in the commands' threads: after a failure, here
                    follower.pull_and_process(self.accounts.name)
        try:
            for follower in self.followers:
                follower.recorder.wait(self.accounts.name, last, timeout, getattr(self.runner, "has_errored", None))
        except WaitInterruptedError:
            self.runner.reraise_thread_errors()  # a MultiThreadedRunner's follower failed: say why
            raise


def check_nothing_was_lost(leader: Application[UUID], follower: Follower[UUID]) -> None:
    """Refuse a follower that has processed more of the leader's events than the leader has."""
    processed = follower.recorder.max_tracking_id(leader.name) or 0
    recorded = leader.recorder.max_notification_id() or 0
    if processed > recorded:
        msg = f"{follower.name} has processed {leader.name}'s events up to {processed}, but {leader.name} has "
        msg += f"only {recorded}: restore its database, or start {follower.name} on new storage too"
        raise LostEventsError(msg)
