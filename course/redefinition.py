"""Let a notebook's cells define an aggregate class again when they run again.

The library refuses a second aggregate class with the name of one already in
its module (`ProgrammingError`), and a second class for one topic
(`TopicError`). A notebook's classes live in its `__main__` module, and
running a cell again defines its classes again: `allow_redefinition()`
lifts the first check (the library's own switch, an environment variable)
and, before each cell runs, forgets the topics the library has cached, so
a topic names the class defined last.
"""

import os

from eventsourcing.domain import ENVVAR_DISABLE_REDEFINITION_CHECK
from eventsourcing.utils import clear_topic_cache


def allow_redefinition() -> None:
    """Let this process define aggregate classes again, and, in IPython,
    forget the cached topics before each cell. Calling it again changes nothing."""
    os.environ[ENVVAR_DISABLE_REDEFINITION_CHECK] = "y"
    try:
        from IPython import get_ipython  # noqa: PLC0415 (only in a notebook)
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and forget_topics not in shell.events.callbacks["pre_run_cell"]:
        shell.events.register("pre_run_cell", forget_topics)


def forget_topics(info: object = None) -> None:
    """Forget the library's cached topics: each is found again, by import,
    the next time it is used (the notebook's own classes by their name in `__main__`)."""
    clear_topic_cache()
