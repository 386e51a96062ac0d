"""The course's optional extras (`pip install 'event-sourced-bank[postgres]'`):
a chapter runs a cell that needs one only when it is installed.

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


def has_extra(extra: str) -> bool:
    """True when every package of `extra` is installed. Otherwise print one
    line saying what to install, and return False: `if has_extra("postgres"):`
    runs a cell's PostgreSQL part only where it can run."""
    missing = [name for name in extra_packages(extra) if installed_version(name) is None]
    if missing:
        print(
            f"Skipped: this needs the {extra!r} extra ({', '.join(missing)} not installed): "
            f"pip install 'event-sourced-bank[{extra}]', then restart the kernel."
        )
    return not missing
