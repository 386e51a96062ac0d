"""Subscriptions for SQLite. A subscription yields an application's new
events as they are recorded; PostgreSQL announces them (LISTEN/NOTIFY) and
the in-memory store calls back, but SQLite cannot notify anyone, so the
library's SQLite recorder has no subscriptions. This one asks the database
for new events every few milliseconds instead."""

from collections import deque
from collections.abc import Sequence
from threading import Event

from eventsourcing.persistence import ApplicationRecorder, Notification, Subscription
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import get_topic


class PollingSubscription(Subscription[ApplicationRecorder]):
    """Yields the notifications after `gt` (with one of `topics`, if given),
    then waits for more, polling every `interval` seconds until stopped."""

    interval = 0.02
    page_size = 100

    def __init__(self, recorder: ApplicationRecorder, gt: int | None = None, topics: Sequence[str] = ()) -> None:
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._page: deque[Notification] = deque()
        self._stopping = Event()

    def stop(self) -> None:
        super().stop()
        self._stopping.set()

    def __next__(self) -> Notification:
        while not self._page and not self._has_been_stopped:
            self._page.extend(
                self._recorder.select_notifications(
                    start=self._last_notification_id or 0,
                    limit=self.page_size,
                    topics=self._topics,
                    inclusive_of_start=False,
                )
            )
            if not self._page:
                self._stopping.wait(self.interval)
        if self._has_been_stopped:
            raise StopIteration
        notification = self._page.popleft()
        self._last_notification_id = notification.id
        return notification


class PollingSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """The library's SQLite application recorder, with polling subscriptions."""

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> PollingSubscription:
        return PollingSubscription(self, gt=gt, topics=topics)


def polling_env() -> dict[str, str]:
    """The setting that makes SQLite applications use the polling recorder."""
    return {"APPLICATION_RECORDER_TOPIC": get_topic(PollingSQLiteApplicationRecorder)}
