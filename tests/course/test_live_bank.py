"""The live bank's logic: its panels, its commands and their messages, and
catching up with what another process wrote, on every backend."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bank import EventSourcedBank, InvalidAmountError, persistence_env
from bank.errors import BankStoppedError
from bank.persistence import postgres_url_env
from course.live_bank import LiveBank, bank_env, parse_amount, shown_time, to_amount


@pytest.fixture
def live(any_env):
    with EventSourcedBank(any_env) as bank:
        yield LiveBank(bank)


def recorded(live: LiveBank) -> int:
    """How many events the account service has recorded."""
    return live.bank.accounts.recorder.max_notification_id() or 0


def ids(live: LiveBank) -> list:
    return live.bank.accounts.list_accounts()


def test_bank_database_unset_or_memory_means_memory():
    assert bank_env(None) == bank_env("") == bank_env("memory") == persistence_env("memory")


def test_bank_database_naming_a_folder_means_sqlite_files_in_it(tmp_path):
    assert bank_env(str(tmp_path / "data")) == persistence_env("sqlite", tmp_path / "data")
    assert (tmp_path / "data").is_dir()


def test_bank_database_naming_a_postgresql_url_means_that_server(postgres_url, monkeypatch):
    assert bank_env(postgres_url) == persistence_env("postgres", postgres_url)
    for name, value in postgres_url_env(postgres_url).items():
        monkeypatch.setenv(name, value)
    assert bank_env("postgres") == persistence_env("postgres")


@pytest.mark.parametrize(
    ("text", "amount"), [("12.50", Decimal("12.50")), (" 7 ", Decimal("7")), ("1e2", Decimal("100"))]
)
def test_amounts_typed_as_text_become_decimals(text, amount):
    parsed = parse_amount(text)
    assert type(parsed) is Decimal
    assert parsed == amount


@pytest.mark.parametrize("text", ["ten", "", "12,50", "£5"])
def test_text_that_is_no_number_is_an_invalid_amount(text):
    with pytest.raises(InvalidAmountError, match=r"amount must be a number such as 12\.50"):
        parse_amount(text)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("1e9999", "amount must be at most 1,000,000,000.00, not 1e9999"),
        ("1e-3", "amount must have at most 2 decimal places, not 1e-3"),
        ("-0.50", "amount must be greater than zero, not -0.50"),
        ("Infinity", "amount must be a finite number, not Infinity"),
    ],
)
def test_a_refused_amount_is_quoted_as_typed(typed, reason):
    with pytest.raises(InvalidAmountError) as refused:
        to_amount(typed)
    assert str(refused.value).endswith(reason)


def test_an_amount_typed_as_text_becomes_money():
    assert to_amount(" 1e2 ") == Decimal("100.00")


def test_event_times_show_the_date_the_time_and_the_time_zone():
    noon_utc = datetime(2024, 1, 15, 12, 0, 5, tzinfo=UTC)
    assert shown_time(noon_utc, ZoneInfo("Europe/Paris")) == "2024-01-15 13:00:05 CET"
    assert shown_time(noon_utc, UTC) == "2024-01-15 12:00:05 UTC"


def test_commands_say_what_they_did_and_the_panels_show_it(live):
    assert live.open_account("Alice") == "Opened account 1 · Alice"
    assert live.open_account("Bob") == "Opened account 2 · Bob"
    alice, bob = ids(live)
    assert live.credit(alice, "100") == "Credited 100.00 to 1 · Alice"
    assert live.transfer(alice, bob, "30.5") == "Transferred 30.50 from 1 · Alice to 2 · Bob"
    assert live.debit(bob, "0.50") == "Debited 0.50 from 2 · Bob"
    assert live.debit(bob, "30") == "Debited 30.00 from 2 · Bob"
    assert live.close_account(bob) == "Closed account 2 · Bob"

    shown = live.read()
    assert [(a.name, a.balance, a.is_closed) for a in shown.accounts] == [
        ("1 · Alice", Decimal("69.50"), False),
        ("2 · Bob", Decimal("0.00"), True),
    ]
    assert (shown.ledger.balance, shown.ledger.transactions, shown.ledger.to_process) == (Decimal("69.50"), 5, 0)
    assert [(e.event, e.account, e.amount) for e in shown.events] == [  # newest first
        ("Account closed", "2 · Bob", None),
        ("Debit", "2 · Bob", Decimal("30.00")),
        ("Debit", "2 · Bob", Decimal("0.50")),
        ("Credit", "2 · Bob", Decimal("30.50")),
        ("Debit", "1 · Alice", Decimal("30.50")),
        ("Credit", "1 · Alice", Decimal("100.00")),
        ("Account opened", "2 · Bob", None),
        ("Account opened", "1 · Alice", None),
    ]


def test_the_events_panel_shows_the_latest_entries_only(live):
    live.events = 3
    live.open_account("Alice")
    (alice,) = ids(live)
    for amount in ["1", "2", "3", "4"]:
        live.credit(alice, amount)
    assert [e.amount for e in live.read().events] == [Decimal("4.00"), Decimal("3.00"), Decimal("2.00")]


REFUSALS = {
    "an empty owner": (lambda live, a, b: live.open_account(" "), "with a visible character"),
    "an overdraft": (lambda live, a, b: live.debit(a, "100.01"), "cannot debit 100.01: balance 100.00"),
    "a transfer past the overdraft": (lambda live, a, b: live.transfer(a, b, "500"), "cannot debit 500.00"),
    "a word for an amount": (lambda live, a, b: live.credit(a, "ten"), "amount must be a number such as 12.50"),
    "a zero amount": (lambda live, a, b: live.credit(a, "0"), "amount must be greater than zero, not 0"),
    "a negative amount": (lambda live, a, b: live.debit(a, "-5"), "amount must be greater than zero, not -5"),
    "a tenth of a cent": (lambda live, a, b: live.credit(a, "0.001"), "at most 2 decimal places, not 0.001"),
    "an amount too large": (lambda live, a, b: live.credit(a, "1e9999"), "at most 1,000,000,000.00, not 1e9999"),
    "no account picked": (lambda live, a, b: live.credit(None, "1"), "pick an account first"),
    "a transfer to itself": (lambda live, a, b: live.transfer(a, a, "1"), "from account 1 · Alice to itself"),
    "a closed account": (lambda live, a, b: live.credit(b, "1"), "account 2 · Bob is closed"),
    "closing a funded account": (lambda live, a, b: live.close_account(a), "balance is 100.00, not 0"),
}


@pytest.mark.parametrize("refusal", REFUSALS, ids=str)
def test_a_refused_command_says_why_in_the_banks_words_and_records_nothing(live, refusal):
    live.open_account("Alice")
    live.open_account("Bob")
    alice, bob = ids(live)
    live.credit(alice, "100")
    live.close_account(bob)
    before, shown = recorded(live), live.read()
    command, reason = REFUSALS[refusal]

    message = command(live, alice, bob)

    assert message.startswith("Refused: ")
    assert reason in message
    assert str(alice) not in message
    assert str(bob) not in message  # accounts are named as the page names them
    assert recorded(live) == before
    assert live.read() == shown


def test_it_says_where_the_events_are_stored(any_env):
    with EventSourcedBank(any_env) as bank:
        storage = LiveBank(bank).storage()
    names = {"eventsourcing.popo": "memory", "eventsourcing.sqlite": "SQLite", "eventsourcing.postgres": "PostgreSQL"}
    assert storage == names[any_env["PERSISTENCE_MODULE"]]


def test_panels_print_as_text_without_times(live):
    live.open_account("Alice")
    live.credit(ids(live)[0], "5")
    assert str(live.read()) == (
        "Accounts\n"
        "  1 · Alice              5.00  open\n"
        "Ledger\n"
        "  balance 5.00 · transactions 1 · account events to process 0\n"
        "Events, newest first\n"
        "  Credit                 5.00  1 · Alice\n"
        "  Account opened               1 · Alice"
    )


def test_empty_panels_say_so(live):
    text = str(live.read())
    assert text.count("(none yet)") == 2
    assert "balance 0.00 · transactions 0 · account events to process 0" in text


def test_a_stopped_bank_refuses_commands_and_catching_up():
    bank = EventSourcedBank()
    bank.start()
    live = LiveBank(bank)
    bank.stop()
    refusal = live.open_account("Alice")
    assert refusal.startswith("Refused: AccountService is closed: nothing was read or recorded")
    with pytest.raises(BankStoppedError, match="AccountService is closed: nothing was read or recorded"):
        live.catch_up()


def run_writer_process(env: dict[str, str], transfers: int) -> dict[str, int]:
    """`python -m bank.scaling_out writer`, on the bank's database, to the end."""
    done = subprocess.run(
        [sys.executable, "-m", "bank.scaling_out", "writer", "--transfers", str(transfers), "--seed", "3"],
        env=os.environ | env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_catching_up_processes_what_another_process_wrote(durable_env):
    with EventSourcedBank(durable_env) as bank:
        live = LiveBank(bank, events=100)
        for owner in ["Ann", "Ben", "Cat"]:
            live.open_account(owner)
            live.credit(ids(live)[-1], "100")
        opened = live.read()

        report = run_writer_process(durable_env, transfers=10)

        assert report["transfers"] > 0
        before = live.read()  # the accounts are read from the shared database...
        assert before.accounts != opened.accounts
        assert sum(a.balance for a in before.accounts) == Decimal("300.00")
        assert before.ledger.to_process == 2 * report["transfers"]  # ...the followers have yet to catch up
        assert len(before.events) == 6

        live.catch_up()
        after = live.read()
        assert after.accounts == before.accounts
        assert (after.ledger.balance, after.ledger.to_process) == (Decimal("300.00"), 0)
        assert after.ledger.transactions == 3 + 2 * report["transfers"]
        assert len(after.events) == 6 + 2 * report["transfers"]
        assert {e.event for e in after.events[: 2 * report["transfers"]]} == {"Credit", "Debit"}
