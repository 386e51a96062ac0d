"""EventSourcedBank: the account service, the ledger and the transaction log
wired into one system."""

from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Self
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.system import Follower, Runner, SingleThreadedRunner

from bank.account_service import AccountService
from bank.dropped_prompts import prompt_again_if_dropped
from bank.errors import LostEventsError
from bank.lag import follower_lag, wait_until_processed
from bank.ledger_service import LedgerService
from bank.safe_system import SafeSystem
from bank.transaction_log import TransactionLogService

bank_system = SafeSystem(pipes=[[AccountService, LedgerService], [AccountService, TransactionLogService]])


class EventSourcedBank:
    """Runs the bank's system with any of the library's runners.

    `env` holds environment variables (see `bank.persistence_env`) that
    configure every service; they win over `os.environ`.
    """

    system = bank_system

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        runner_class: type[Runner] = SingleThreadedRunner,
    ) -> None:
        self.runner = runner_class(self.system, env=dict(env or {}))
        self.accounts: AccountService = self.runner.get(AccountService)
        self.ledger: LedgerService = self.runner.get(LedgerService)
        self.transactions: TransactionLogService = self.runner.get(TransactionLogService)
        self.apps = dict(self.runner.apps)  # the runner forgets them when it stops
        for leader, follower in self.pipes():
            follower.follow(leader.name, leader.notification_log)

    def start(self) -> None:
        # Before any runner thread exists, each follower catches up with
        # what its leader recorded while the follower was not running.
        for leader, follower in self.pipes():
            check_nothing_was_lost(leader, follower)
        self.catch_up()
        self.runner.start()

    def stop(self) -> None:
        self.runner.stop()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def pipes(self) -> Iterator[tuple[Application[UUID], Follower[UUID]]]:
        """Each (leader, follower) pair of the system's applications."""
        for leader_name, follower_name in self.system.edges:
            yield self.apps[leader_name], self.apps[follower_name]

    def catch_up(self) -> None:
        """Each follower processes what its leader recorded that it has not
        processed yet (events another process wrote, say): the library's
        "catch up once", `pull_and_process`."""
        for leader, follower in self.pipes():
            follower.pull_and_process(leader.name)

    def ledger_is_up_to_date(self) -> bool:
        """True when every follower has processed everything recorded so far."""
        return all(follower_lag(leader, follower, limit=1) == 0 for leader, follower in self.pipes())

    def wait_for_ledger(self, timeout: float = 10) -> None:
        """Return once every follower (the ledger, the transaction log) has
        processed everything recorded so far; raise TimeoutError if that
        takes longer than `timeout` seconds."""
        for leader, follower in self.pipes():
            wait_until_processed(leader, follower, timeout, while_waiting=lambda leader=leader: self._unstick(leader))

    def _unstick(self, leader: Application[UUID]) -> None:
        # A multi-threaded runner records a failed thread's error: show it
        # rather than wait for a follower that will never catch up.
        errored = getattr(self.runner, "has_errored", None)
        if errored is not None and errored.is_set():
            self.runner.reraise_thread_errors()
        prompt_again_if_dropped(self.runner, leader)


def check_nothing_was_lost(leader: Application[UUID], follower: Follower[UUID]) -> None:
    """Refuse to start when the follower has processed events that the
    leader no longer has: it would skip the leader's new events silently."""
    processed = follower.recorder.max_tracking_id(leader.name) or 0
    recorded = leader.recorder.max_notification_id() or 0
    if processed > recorded:
        msg = (
            f"{follower.name} has processed {leader.name}'s events up to position {processed}, "
            f"but {leader.name} has only {recorded}: its database was lost or replaced. "
            f"Restore it, or start {follower.name} on new storage too."
        )
        raise LostEventsError(msg)
