"""Given–when–then tests on events: given an aggregate's past events, when a
command runs, then exactly these new events, or this error and no event.

    given(opened, credited).when(Account.debit, Decimal("30.00")).then((Account.Debited, {"amount": ...}))

An event is written as its class and its fields: `(Account.Credited,
{"amount": Decimal("100.00")})`. Ids, versions and timestamps are left out,
and compared only when an expected event names them.
"""

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import project_aggregate
from eventsourcing.domain import CanInitAggregate, CanMutateAggregate
from eventsourcing.utils import get_topic

Fact = tuple[type[CanMutateAggregate[UUID]], dict[str, Any]]
METADATA = ("originator_id", "originator_version", "timestamp", "originator_topic")


def past_events(*facts: Fact, originator_id: UUID | None = None) -> list[CanMutateAggregate[UUID]]:
    """Real event objects for `facts`, in order: one aggregate's id, versions
    1, 2, 3, ... and timestamps, as if its commands had triggered them. The
    first must be a created event (e.g. `Account.Opened`)."""
    originator_id = originator_id or uuid4()
    events = []
    for version, (event_class, fields) in enumerate(facts, start=1):
        metadata: dict[str, Any] = {"originator_version": version, "timestamp": event_class.create_timestamp()}
        if issubclass(event_class, CanInitAggregate):
            metadata["originator_topic"] = aggregate_topic(event_class)
        events.append(event_class(originator_id=originator_id, **metadata, **fields))
    return events


def aggregate_topic(event_class: type) -> str:
    """The topic of the aggregate class that `event_class` is nested in:
    `Account` for `Account.Opened`."""
    module, qualname = get_topic(event_class).split(":")
    return f"{module}:{qualname.rpartition('.')[0]}"


def describe(events: Sequence[Any], keep: Sequence[str] = ()) -> list[Fact]:
    """Each event as a test writes it: its class and its fields, without the
    metadata (id, version, timestamp, topic) unless named in `keep`."""
    facts = []
    for event in events:
        fields = vars(event)
        kept = {key: fields[key] for key in keep if key in fields}
        facts.append((type(event), {key: value for key, value in fields.items() if key not in METADATA} | kept))
    return facts


def given(*past: Fact) -> "Scenario":
    """A scenario that starts from an aggregate rebuilt from its past events
    (none: the command creates it)."""
    return Scenario(project_aggregate(None, past_events(*past)) if past else None)


class Scenario:
    """One aggregate, one command, and what the command triggered."""

    def __init__(self, aggregate: Any) -> None:
        self.aggregate = aggregate
        self.new_events: list[Any] = []
        self.error: Exception | None = None

    def when(self, command: Callable[..., Any], *args: Any, **kwargs: Any) -> "Scenario":
        """Run `command(aggregate, *args)`, e.g. `Account.debit`; without an
        aggregate, `command(*args)` creates one, e.g. `Account.open`. Keep the
        events it triggered and the error it raised, if any."""
        try:
            if self.aggregate is None:
                self.aggregate = command(*args, **kwargs)
            else:
                command(self.aggregate, *args, **kwargs)
        except Exception as error:  # kept for then_raises, reported by then
            self.error = error
        if self.aggregate is not None:
            self.new_events = list(self.aggregate.collect_events())
        return self

    def then(self, *expected: Fact) -> None:
        """Assert the command triggered exactly these events, in this order."""
        if self.error is not None:
            msg = f"expected {show(expected)}, but the command raised {type(self.error).__name__}: {self.error}"
            raise AssertionError(msg)
        keep = [key for _, fields in expected for key in fields if key in METADATA]
        actual = describe(self.new_events, keep)
        if actual != list(expected):
            msg = f"expected {show(expected)}, but the command triggered {show(actual)}"
            raise AssertionError(msg)

    def then_raises(self, error_class: type[Exception]) -> Exception:
        """Assert the command raised `error_class` and triggered no event;
        return the error, to check its message."""
        if not isinstance(self.error, error_class):
            what = f"raised {type(self.error).__name__}" if self.error else "raised nothing"
            msg = f"expected {error_class.__name__}, but the command {what} and triggered {show(self.new_events)}"
            raise AssertionError(msg)
        if self.new_events:
            msg = f"{error_class.__name__} was raised, but the command triggered {show(self.new_events)}"
            raise AssertionError(msg)
        return self.error


def show(events: Sequence[Any]) -> str:
    """`[Account.Debited(amount=Decimal('30.00'))]`: events (or facts) as they read in a test."""
    facts = [event if isinstance(event, tuple) else describe([event])[0] for event in events]
    shown = [f"{cls.__qualname__}({', '.join(f'{k}={v!r}' for k, v in fields.items())})" for cls, fields in facts]
    return f"[{', '.join(shown)}]"
