"""Probes: watch one application object at work without changing its class.

Each probe puts a wrapper on one method of one object (an instance
attribute hides the class's method) for the length of a `with` block, and
takes it away again at the end. The chapters use them to count what a read
touches and to see which thread processes an event.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Tracking
from eventsourcing.system import Follower


@dataclass
class Reads:
    """What an application read from its recorders while a `counting_reads`
    block ran: queries to each store, and the records they returned."""

    snapshot_queries: int = 0
    snapshots: int = 0
    event_queries: int = 0
    events: int = 0
    log_queries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, queries: str, records: str | None, returned: Any) -> None:
        with self._lock:
            setattr(self, queries, getattr(self, queries) + 1)
            if records is not None:
                setattr(self, records, getattr(self, records) + len(returned))


@contextmanager
def counting_reads(app: Application) -> Iterator[Reads]:
    """`with counting_reads(app) as reads:` count the queries `app` makes to
    its snapshot store, its event store and its notification log (from any
    thread), and the snapshots and events they return."""
    reads = Reads()
    with ExitStack() as stack:
        if app.snapshots is not None:
            snapshots = app.snapshots.recorder
            stack.enter_context(_wrapping(snapshots, "select_events", reads, "snapshot_queries", "snapshots"))
        stack.enter_context(_wrapping(app.events.recorder, "select_events", reads, "event_queries", "events"))
        stack.enter_context(_wrapping(app.recorder, "select_notifications", reads, "log_queries", None))
        yield reads


@contextmanager
def _wrapping(recorder: Any, method: str, reads: Reads, queries: str, records: str | None) -> Iterator[None]:
    original = getattr(recorder, method)

    def counted(*args: Any, **kwargs: Any) -> Any:
        returned = original(*args, **kwargs)
        reads.add(queries, records, returned)
        return returned

    with _replacing(recorder, method, counted):
        yield


@contextmanager
def recording_threads(follower: Follower) -> Iterator[list[tuple[int, str]]]:
    """`with recording_threads(ledger) as seen:` for each event the follower
    processes, append (its position in the leader's log, the thread that
    processed it): "MainThread", or the class name of the runner's thread."""
    seen: list[tuple[int, str]] = []
    original = follower.process_event

    def recorded(domain_event: Any, tracking: Tracking) -> None:
        seen.append((tracking.notification_id, thread_label(threading.current_thread())))
        original(domain_event, tracking)

    with _replacing(follower, "process_event", recorded):
        yield seen


def thread_label(thread: threading.Thread) -> str:
    """The thread's name for a reader: "MainThread" for the main thread,
    else its class name (the same on every run, unlike "Thread-7")."""
    return "MainThread" if thread is threading.main_thread() else type(thread).__name__


class PromptHold:
    """Hold `leader`'s next prompt to its followers: its events are recorded,
    then it waits until `release()` is called (or `timeout` seconds), then it
    prompts. `recorded` is set while it waits. Only the next prompt is held."""

    def __init__(self, leader: Application, timeout: float = 0.5) -> None:
        self.recorded = threading.Event()
        self.released = threading.Event()
        self._leader = leader
        original: Callable[[Any], None] = leader._notify  # called by save() once the events are recorded

        def held(recordings: Any) -> None:
            del leader._notify  # the next prompt goes out as usual
            self.recorded.set()
            self.released.wait(timeout)
            original(recordings)

        leader._notify = held

    def release(self) -> None:
        self.released.set()


@contextmanager
def _replacing(obj: Any, name: str, replacement: Callable[..., Any]) -> Iterator[None]:
    """Put `replacement` on `obj` as `name` for the block; then put back what was there."""
    before = vars(obj).get(name)
    setattr(obj, name, replacement)
    try:
        yield
    finally:
        if before is None:
            delattr(obj, name)
        else:
            setattr(obj, name, before)
