"""Helpers the notebooks share: friendly self-checks and tables of stored events."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.application import Application

if TYPE_CHECKING:
    import pandas as pd

PASSED = "Correct, well done!"


def check(test: Callable[[], Any], hint: str) -> None:
    """Run an exercise's self-check: `test` asserts what the answer must be
    (or returns False when it is wrong).

    Prints a friendly verdict instead of a traceback, so "Run All" never stops
    at an exercise you have not done yet. Returns None, so a cell ending in
    `check(...)` shows only the verdict.
    """
    try:
        passed = test() is not False
    except Exception:  # any failure means "not yet"
        passed = False
    print(PASSED if passed else f"Not yet: {hint}")


def stored_events_table(app: Application, names: dict[UUID, str] | None = None) -> "pd.DataFrame":
    """The application's stored events in recording order, one row each:
    position in the notification log, originator, version, topic and state.

    Originators are shown by `names` (e.g. {alice: "Alice"}) or else as
    "#1", "#2", ... in order of first appearance, so the table is the same
    on every run.
    """
    import pandas as pd  # noqa: PLC0415 (pandas is only needed here)

    labels = {UUID(str(k)): v for k, v in (names or {}).items()}
    rows = []
    start = 0
    while page := app.recorder.select_notifications(start=start, limit=100, inclusive_of_start=False):
        for notification in page:
            originator = UUID(str(notification.originator_id))
            label = labels.setdefault(originator, f"#{len(labels) + 1}")
            try:
                state = notification.state.decode("utf-8")
            except UnicodeDecodeError:
                state = f"<{len(notification.state)} bytes>"
            rows.append(
                {
                    "position": notification.id,
                    "originator": label,
                    "version": notification.originator_version,
                    "topic": notification.topic,
                    "state": state,
                }
            )
        start = page[-1].id
    return pd.DataFrame(rows, columns=["position", "originator", "version", "topic", "state"]).set_index("position")
