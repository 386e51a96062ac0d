"""EventSourcedBank: the account and ledger services wired into one system."""

from collections.abc import Mapping
from types import TracebackType
from typing import Self
from uuid import UUID

from eventsourcing.persistence import Recording
from eventsourcing.system import RecordingEvent, Runner, SingleThreadedRunner, System

from bank.account_service import AccountService
from bank.ledger_service import LedgerService, ledger_lag, wait_until_processed

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
        return ledger_lag(self.accounts, self.ledger, limit=1) == 0

    def wait_for_ledger(self, timeout: float = 10) -> None:
        """Return once the ledger has processed every account event recorded
        so far; raise TimeoutError if that takes longer than `timeout` seconds."""
        wait_until_processed(self.accounts, self.ledger, timeout, while_waiting=self._while_waiting)

    def _while_waiting(self) -> None:
        self._raise_runner_errors()
        self._prompt_again_if_prompts_were_dropped()

    def _raise_runner_errors(self) -> None:
        # A multi-threaded runner records a failed thread's error; show it
        # rather than wait for a ledger that will never catch up.
        errored = getattr(self.runner, "has_errored", None)
        if errored is not None and errored.is_set():
            self.runner.reraise_thread_errors()

    def _prompt_again_if_prompts_were_dropped(self) -> None:
        # NewMultiThreadedRunner (9.5.x) queues at most 100 prompts per
        # follower. When a burst of commands fills that queue, it drops the
        # prompt and sets `overflow_event`, which nothing reads. The follower
        # catches up at the next prompt it gets, so what a dropped prompt can
        # leave behind is the end of a burst: prompt again with the latest
        # account event (the follower pulls whatever it missed before it).
        threads = getattr(self.runner, "pulling_threads", {}).get(self.accounts.name, [])
        for thread in threads:
            if thread.overflow_event.is_set():
                thread.overflow_event.clear()
                thread.receive_recording_event(self._latest_recording_event())

    def _latest_recording_event(self) -> RecordingEvent[UUID]:
        recorder = self.accounts.recorder
        last_id = recorder.max_notification_id()
        [notification] = recorder.select_notifications(start=last_id, limit=1)
        recording = Recording(self.accounts.mapper.to_domain_event(notification), notification)
        return RecordingEvent(self.accounts.name, [recording], previous_max_notification_id=last_id - 1)
