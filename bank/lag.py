"""How far a follower is behind its leader, and waiting until it is not."""

from collections.abc import Callable
from time import monotonic, sleep

from eventsourcing.application import Application
from eventsourcing.system import Follower


def follower_lag(leader: Application, follower: Follower, limit: int = 10**9) -> int:
    """How many of the leader's recorded events the follower has yet to
    process (counting up to `limit`): those after its tracking position,
    of the topics it follows."""
    position = follower.recorder.max_tracking_id(leader.name) or 0
    pending = leader.recorder.select_notifications(
        start=position, limit=limit, topics=follower.topics, inclusive_of_start=False
    )
    return len(pending)


def wait_until_processed(
    leader: Application,
    follower: Follower,
    timeout: float = 30,
    while_waiting: Callable[[], None] = lambda: None,
) -> None:
    """Return once the follower (in this process or another) has processed
    every event of the leader recorded so far; raise TimeoutError after
    `timeout` seconds."""
    deadline = monotonic() + timeout
    while follower_lag(leader, follower, limit=1):
        while_waiting()
        if monotonic() > deadline:
            msg = f"{follower.name} did not catch up with {leader.name} within {timeout} s"
            raise TimeoutError(msg)
        sleep(0.005)
