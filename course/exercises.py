"""The exercises' self-checks: a friendly verdict instead of a traceback."""

from collections.abc import Callable
from typing import Any

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
