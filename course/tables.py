"""An application's stored events as a table, the same on every run."""

from uuid import UUID

import pandas as pd
from eventsourcing.application import Application
from eventsourcing.system import NotificationLogReader


def stored_events_table(app: Application, names: dict[UUID, str] | None = None) -> pd.DataFrame:
    """The application's stored events in recording order, one row each:
    position in the notification log, originator, version, topic and state.

    Originators are shown by `names` (e.g. {alice: "Alice"}) or else as
    "#1", "#2", ... in order of first appearance, so the table is the same
    on every run.
    """
    labels = {UUID(str(k)): v for k, v in (names or {}).items()}
    rows = []
    for page in NotificationLogReader(app.notification_log).select(start=1):
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
    return pd.DataFrame(rows, columns=["position", "originator", "version", "topic", "state"]).set_index("position")
