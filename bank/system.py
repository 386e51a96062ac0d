"""EventSourcedBank: the account and ledger services wired into one system."""

from collections.abc import Mapping
from time import monotonic, sleep
from types import TracebackType
from typing import Self

from eventsourcing.system import Runner, SingleThreadedRunner, System

from bank.account_service import AccountService
from bank.ledger_service import LedgerService

bank_system = System(pipes=[[AccountService, LedgerService]])


class EventSourcedBank:
    """Runs the bank's system with any of the library's runners.

    `env` holds environment variables (see `bank.persistence_env`) that
    configure both services; they win over `os.environ`.
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

    def start(self) -> None:
        # Catch up first, before any runner thread exists, with whatever the
        # account service recorded while the ledger was not running.
        self.ledger.follow(self.accounts.name, self.accounts.notification_log)
        self.ledger.pull_and_process(self.accounts.name)
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

    def ledger_is_up_to_date(self) -> bool:
        """True when no credit or debit is recorded that the ledger has not processed."""
        position = self.ledger.recorder.max_tracking_id(self.accounts.name) or 0
        unprocessed = self.accounts.recorder.select_notifications(
            start=position, limit=1, topics=LedgerService.topics, inclusive_of_start=False
        )
        return not unprocessed

    def wait_for_ledger(self, timeout: float = 10) -> None:
        """Return once the ledger has processed every account event recorded
        so far; raise TimeoutError if that takes longer than `timeout` seconds."""
        deadline = monotonic() + timeout
        while not self.ledger_is_up_to_date():
            errored = getattr(self.runner, "has_errored", None)
            if errored is not None and errored.is_set():
                self.runner.reraise_thread_errors()
            if monotonic() > deadline:
                msg = f"the ledger did not catch up with the accounts within {timeout} s"
                raise TimeoutError(msg)
            sleep(0.005)
