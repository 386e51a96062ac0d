"""The course's optional extras (`pip install 'event-sourced-bank[postgres]'`):
which packages each brings (`course.skip_cells` skips a cell whose extra is missing).

Which packages an extra brings is read from the course package's own
metadata (what `pyproject.toml` declares), as `course.environment` does.
"""

from course.environment import extra_requirements, installed_version


def extra_packages(extra: str) -> list[str]:
    """The distributions the course's `extra` installs, e.g. ["psycopg", ...]."""
    packages = [name for name, _ in extra_requirements(extra)]
    if not packages:
        msg = f"the course has no extra {extra!r}"
        raise ValueError(msg)
    return packages


def missing_packages(extra: str) -> list[str]:
    """The packages of `extra` that are not installed (none when it is)."""
    return [name for name in extra_packages(extra) if installed_version(name) is None]
