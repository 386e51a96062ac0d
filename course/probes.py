"""Probes: watch or hold one application object at work without changing its class.

Each probe puts a wrapper on one method of one object (an instance
attribute hides the class's method), and takes it away again. Chapter 17
counts what a read asks of the stores, and holds one call for a moment to
make a race between threads happen every time.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.system import Leader, Runner

from bank.account import Account


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


class Hold:
    """Hold the next call of `obj.method`, in whichever thread makes it: the
    call sets `reached`, then waits until `release()` is called (or `timeout`
    seconds have passed), then runs as usual. Only the next call is held.

    A race between threads usually hangs on a window of microseconds; a hold
    keeps the window open, so the race happens every time."""

    def __init__(self, obj: Any, method: str, timeout: float = 0.5) -> None:
        self.reached = threading.Event()
        self._released = threading.Event()
        original: Callable[..., Any] = getattr(obj, method)

        def held(*args: Any, **kwargs: Any) -> Any:
            delattr(obj, method)  # the next call runs as usual
            self.reached.set()
            self._released.wait(timeout)
            return original(*args, **kwargs)

        setattr(obj, method, held)

    def release(self) -> None:
        self._released.set()


def hold_prompt(leader: Leader[Any]) -> Hold:
    """Hold `leader`'s next prompt to its followers: `Leader.save` records the
    events, then calls `_notify`, which is held."""
    return Hold(leader, "_notify")


def hold_lock_release(runner: Runner[Any]) -> Hold:
    """Hold the next release of a single-threaded runner's `_processing_lock`:
    the thread that held it has processed every prompt it found, and is about
    to let go. (The lock's own methods cannot be wrapped, so the runner gets a
    lock object whose methods can.)"""
    runner._processing_lock = _Lock(runner._processing_lock)  # type: ignore[attr-defined]
    return Hold(runner._processing_lock, "release")  # type: ignore[attr-defined]


class _Lock:
    """A lock that passes each call on to `lock`."""

    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()


class LockFreeAccounts(Leader[UUID]):
    """An account service written as the library's examples write one: no
    lock, so commands from several threads run at once (the bank's
    `AccountService` runs one at a time)."""

    name = "AccountService"  # followers know their leader by its name

    def open_account(self, owner: str) -> UUID:
        account = Account.open(owner)
        self.save(account)
        return account.id

    def deposit(self, account_id: UUID, amount: Decimal) -> None:
        account = self.repository.get(account_id)
        account.credit(amount)
        self.save(account)


class Depositing(Protocol):
    def deposit(self, account_id: UUID, amount: Decimal) -> None: ...


def race(first: Depositing, second: Depositing, hold: Hold, alice: UUID, bob: UUID) -> str:
    """`first` deposits 1.00 for Alice in a thread of its own, and `hold`
    holds it; meanwhile `second` deposits 2.00 for Bob in this thread; then
    the hold lets go. Returns what Alice's deposit raised, or "nothing"."""
    raised = []

    def deposit_for_alice() -> None:
        try:
            first.deposit(alice, Decimal("1.00"))
        except Exception as error:
            raised.append(f"{type(error).__name__}: {error}")

    thread = threading.Thread(target=deposit_for_alice)
    thread.start()
    if not hold.reached.wait(5):
        msg = "Alice's deposit never reached the hold"
        raise RuntimeError(msg)
    second.deposit(bob, Decimal("2.00"))  # (it waits for Alice's, if commands run one at a time)
    hold.release()
    thread.join()
    return "; ".join(raised) or "nothing"


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
