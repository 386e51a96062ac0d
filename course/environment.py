"""`python -m course.environment`: is this environment ready for the course?

The versions needed are read from the installed course package's own
metadata (what `pyproject.toml` declares), so they are written in one place.
It needs only the standard library and `packaging`, so it reports a missing
library instead of failing to import it.
"""

import platform
import sys
from importlib import metadata

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

COURSE = "event-sourced-bank"


def installed_version(name: str) -> str | None:
    """The installed version of a distribution, or of "Python" itself; None if missing."""
    if name == "Python":
        return platform.python_version()
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def requirements() -> list[tuple[str, SpecifierSet]]:
    """Python and every dependency the course needs (extras such as "test" are left out)."""
    needed = [("Python", SpecifierSet(metadata.metadata(COURSE)["Requires-Python"] or ""))]
    for line in metadata.requires(COURSE) or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            needed.append((requirement.name, requirement.specifier))
            needed += extras_of(requirement)
    return needed


def extras_of(requirement: Requirement) -> list[tuple[str, SpecifierSet]]:
    """What the extras a requirement names (`eventsourcing[crypto]`) add, once it is installed."""
    try:
        lines = metadata.requires(requirement.name) or []
    except metadata.PackageNotFoundError:
        return []
    added = []
    for line in lines:
        marker = Requirement(line).marker
        if marker is not None and any(marker.evaluate({"extra": extra}) for extra in requirement.extras):
            added.append((Requirement(line).name, Requirement(line).specifier))
    return added


# What each optional extra brings; the course runs without them.
EXTRAS = {
    "postgres": "the PostgreSQL part of chapter 06",
    "web": "the live bank as a web page (chapter 14, voila)",
    "bench": "the benchmark, python -m course.bench",
    "handouts": "the course as a book and a PDF (jupyter-book, python -m course.handouts)",
}


def extra_requirements(extra: str) -> list[tuple[str, SpecifierSet]]:
    """The packages an optional extra (see EXTRAS) adds."""
    needed = []
    for line in metadata.requires(COURSE) or []:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is not None and marker.evaluate({"extra": extra}) and not marker.evaluate({"extra": ""}):
            needed.append((requirement.name, requirement.specifier))
    return needed


def describe(specifier: SpecifierSet) -> str:
    """'>=9.5,<9.6': lower bounds first, as people write them."""
    return ",".join(sorted(map(str, specifier), key=lambda s: s.startswith("<"))) or "any version"


def check_requirement(name: str, specifier: SpecifierSet) -> tuple[bool, str]:
    """Whether `name` is installed in a version `specifier` allows, and a one-line report."""
    version = installed_version(name)
    needs = f"(needs {describe(specifier)})"
    if version is None:
        return False, f"[FAIL] {name} not installed {needs}"
    ok = specifier.contains(version, prereleases=True)
    return ok, f"{'[ OK ]' if ok else '[FAIL]'} {name} {version} {needs}"


def check_environment() -> bool:
    """Print one line per requirement, then one per optional extra ("[ -- ]"
    when it is not installed: what it brings is skipped); True when every
    requirement is met (extras never fail the check)."""
    if installed_version(COURSE) is None:
        print(f"[FAIL] {COURSE} not installed (run `pip install -e .` in the course folder)")
        return False
    results = [check_requirement(name, specifier) for name, specifier in requirements()]
    for _, line in results:
        print(line)
    for extra, brings in EXTRAS.items():
        if all(check_requirement(name, specifier)[0] for name, specifier in extra_requirements(extra)):
            print(f"[ OK ] extra {extra!r}: {brings}")
        else:
            print(f"[ -- ] extra {extra!r} not installed, optional: {brings} (pip install -e '.[{extra}]')")
    return all(ok for ok, _ in results)


def main() -> int:
    return 0 if check_environment() else 1


if __name__ == "__main__":
    sys.exit(main())
