"""How the course's commands end: an error is one clear line and a non-zero
exit status, never a traceback; and SIGTERM stops a command as Ctrl-C does,
so its `with` blocks run (servers stop, temporary folders go)."""

import argparse
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bank.errors import BankError
from bank.persistence import PersistenceConfigError

EXPECTED_ERRORS = (BankError, PersistenceConfigError, OSError, TimeoutError)


def run_command(main: Callable[[], int], errors: tuple[type[BaseException], ...] = EXPECTED_ERRORS) -> int:
    """Run `main()` and return its exit status: 130 after Ctrl-C, 143 after
    SIGTERM, 1 after one of `errors` (printed as one line on stderr)."""
    stopped_by: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopped_by.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return main()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 128 + (stopped_by[0] if stopped_by else signal.SIGINT)
    except errors as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous)


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser, whose errors are one line (and a pointer to --help)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def writable_folder(location: str | Path, what: str) -> Path:
    """`location` as a folder that exists (created if missing) and takes new
    files; otherwise PersistenceConfigError, saying why, about `what`."""
    folder = Path(location)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as error:
        msg = f"cannot use {folder} as {what}: {error.strerror}"
        raise PersistenceConfigError(msg) from None
    return folder
