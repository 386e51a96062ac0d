"""The library's `System`, made safe to share between threads and processes.

A system's runner builds its applications from the classes named in its
pipes. `SafeSystem` adds small mixins on the way, leaving the applications
themselves as they are:

- each application created at the same moment as one in another process
  tries again when PostgreSQL refuses their concurrent `CREATE TABLE`;
- once the runner has stopped (closed them), every application refuses to
  read or record, with a clear error instead of the storage's own;
- each application that only leads records its events and prompts its
  followers in one step (a lock), so that, with several threads, followers
  are prompted in the order the events were recorded (9.5.x's
  `NewSingleThreadedRunner` and `NewMultiThreadedRunner` otherwise skip an
  event that arrives after a later one);
- each follower treats "another process processed this event first" as
  its own business: it carries on from the new position, instead of
  raising the conflict to whoever's command prompted it.
"""

import threading
from functools import cache
from time import sleep
from typing import Any

from eventsourcing.application import Application, Repository
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError, InternalError, ProgrammingError, Recording, Tracking
from eventsourcing.system import Follower, Leader, System

from bank.errors import BankStoppedError

ATTEMPTS = 100


class SafeApplication(Application[Any]):
    """Creates its tables even when another process does so at the same
    moment; refuses to read or record once closed."""

    def __init__(self, env: Any = None) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                super().__init__(env)
            except (InternalError, IntegrityError, ProgrammingError):
                # "tuple concurrently updated", "relation already exists": the
                # other process's tables are there a moment later.
                if attempt == ATTEMPTS:
                    raise
                if hasattr(self, "factory"):
                    self.factory.close()
                sleep(0.01 * attempt)
            else:
                return

    @property
    def repository(self) -> Repository[Any]:
        self._check_not_stopped()
        return super().repository

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[Any]]:
        self._check_not_stopped()
        return super().save(*objs, **kwargs)

    def _check_not_stopped(self) -> None:
        if self.closing.is_set():  # set by the library's `close()`
            msg = f"{self.name} has been stopped: nothing was read or recorded (start the bank again to continue)"
            raise BankStoppedError(msg)


class RecordsInOrder(SafeApplication, Leader[Any]):
    """Records and prompts followers in one step."""

    def __init__(self, env: Any = None) -> None:
        self._saving = threading.Lock()
        super().__init__(env)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[Any]]:
        with self._saving:
            return super().save(*objs, **kwargs)

    def close(self) -> None:
        with self._saving:  # not in the middle of a save
            super().close()


class ToleratesConflicts(SafeApplication, Follower[Any]):
    """Processes an event unless another process has processed it already;
    counts the conflicts it met."""

    conflicts = 0

    def pull_and_process(self, leader_name: str, start: int | None = None, stop: int | None = None) -> None:
        self._check_not_stopped()
        super().pull_and_process(leader_name, start, stop)

    def process_event(self, domain_event: DomainEventProtocol[Any], tracking: Tracking) -> None:
        for _ in range(ATTEMPTS):
            try:
                super().process_event(domain_event, tracking)
            except IntegrityError:
                self.conflicts += 1
                if self.recorder.has_tracking_id(tracking.application_name, tracking.notification_id):
                    return  # another process has processed it (or a later event)
                # Another process changed what this event's processing read
                # (the ledger, say): read it again, and process the event again.
            else:
                return
        msg = f"{self.name} could not process event {tracking.notification_id} of {tracking.application_name}"
        raise IntegrityError(msg)


class SafeSystem(System):
    """A `System` whose runners build leaders that record in order and
    followers that tolerate conflicts (see the module's docstring)."""

    def leader_cls(self, name: str) -> type[Leader[Any]]:
        return safe(super().leader_cls(name))

    def follower_cls(self, name: str) -> type[Follower[Any]]:
        return safe(super().follower_cls(name))


@cache
def safe(cls: type[Application[Any]]) -> Any:
    """`cls` with the mixin for its role: a follower tolerates conflicts, a
    leader records in order, any other application is a SafeApplication.
    Its name stays the same, and so do its tables and tracking records."""
    if issubclass(cls, Follower):
        mixin: type = ToleratesConflicts
    elif issubclass(cls, Leader):
        mixin = RecordsInOrder
    else:
        mixin = SafeApplication
    # Follower.__init_subclass__ gives each new class `topics`: keep cls's.
    namespace = {"__module__": __name__, "name": cls.name, "topics": getattr(cls, "topics", ())}
    return type(cls.__name__, (mixin, cls), namespace)
