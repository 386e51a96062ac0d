"""A gap in `NewMultiThreadedRunner` (eventsourcing 9.5.x), closed without
patching the library.

The runner prompts each follower's pulling thread through a queue that holds
at most 100 prompts. When a burst of commands fills it, the prompt is
dropped and the thread's `overflow_event` is set, which nothing reads. The
follower catches up only at its next prompt, so the end of a burst can stay
unprocessed until the next command.
"""

from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import Recording
from eventsourcing.system import RecordingEvent, Runner


def prompt_again_if_dropped(runner: Runner, leader: Application) -> None:
    """Prompt again, with the leader's latest event, each pulling thread that
    dropped a prompt: the thread then pulls whatever it missed before that
    event, and its position check keeps it from processing anything twice.
    Other runners have no pulling threads and drop nothing."""
    for thread in getattr(runner, "pulling_threads", {}).get(leader.name, []):
        if thread.overflow_event.is_set():
            thread.overflow_event.clear()
            thread.receive_recording_event(latest_recording_event(leader))


def latest_recording_event(leader: Application) -> RecordingEvent[Any]:
    """The leader's last recorded event, as a runner's prompt carries it."""
    last_id = leader.recorder.max_notification_id()
    [notification] = leader.recorder.select_notifications(start=last_id, limit=1)
    recording = Recording(leader.mapper.to_domain_event(notification), notification)
    return RecordingEvent(leader.name, [recording], previous_max_notification_id=last_id - 1)
