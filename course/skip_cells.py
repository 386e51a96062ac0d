"""Cells that need an optional extra, marked by their first line: where the
extra is not installed, IPython runs each of them as one line saying what
to install, instead of failing, so the chapter still reads top to bottom."""

from typing import Any

from course import extras


def skip_cells_without(extra: str, marker: str, shell: Any = None) -> bool:
    """Return whether the course's `extra` (e.g. "postgres") is installed. If
    it is not, from now on IPython (`shell`, by default the running one) runs
    each cell whose first line is `marker` as one line that says what to
    install. Calling it again replaces the rule, so its cell can run twice."""
    missing = extras.missing_packages(extra)
    if not missing:
        return True
    if shell is None:
        from IPython import get_ipython  # noqa: PLC0415 (only in a notebook)

        shell = get_ipython()
    message = (
        f"Skipped: this cell needs the {extra!r} extra ({', '.join(missing)} not installed): "
        f"pip install 'event-sourced-bank[{extra}]', then restart the kernel."
    )

    def skip(lines: list[str]) -> list[str]:
        if lines and lines[0].strip() == marker:
            return [f"print({message!r})\n"]
        return lines

    skip.marker = marker  # type: ignore[attr-defined]
    rules = shell.input_transformers_cleanup
    rules[:] = [rule for rule in rules if getattr(rule, "marker", None) != marker] + [skip]
    return False
