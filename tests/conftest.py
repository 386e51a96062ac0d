"""Shared fixtures: services and banks on fresh, throw-away storage."""

import os
from decimal import Decimal

import pytest

from bank import AccountService, EventSourcedBank, persistence_env


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


# Hypothesis: 200 examples per property in CI and by default; set
# HYPOTHESIS_PROFILE=soak for a long local run.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("soak", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
