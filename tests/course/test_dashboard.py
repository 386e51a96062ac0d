"""The live bank's page of widgets, without a browser: its buttons run
commands and redraw the panels, and its thread redraws them by itself
(showing what another writer recorded) until stopped."""

import re
from decimal import Decimal

import pytest

from bank import AccountService, EventSourcedBank
from course.dashboard import Dashboard


@pytest.fixture
def bank():
    with EventSourcedBank() as running:
        yield running


@pytest.fixture
def page(bank):
    shown = Dashboard(bank, every=0.05)
    yield shown
    shown.close()


def open_account(page: Dashboard, owner: str) -> None:
    page.owner.value = owner
    page.open_button.click()


def test_buttons_run_commands_and_the_panels_show_their_events(page):
    open_account(page, "Alice")
    open_account(page, "Bob")
    page.account.label, page.amount.value = "1 · Alice", "100"
    page.credit_button.click()
    page.to_account.label, page.amount.value = "2 · Bob", "30"
    page.transfer_button.click()

    assert page.message.value == "Transferred 30.00 from 1 · Alice to 2 · Bob"
    assert "<td" in page.accounts_table.value
    assert [(a.name, a.balance) for a in page.shown.accounts] == [("1 · Alice", 70), ("2 · Bob", 30)]
    for shown in ["1 · Alice", "70.00", "2 · Bob", "30.00"]:
        assert shown in page.accounts_table.value
    for shown in ["100.00", ">3<", ">0<"]:  # the ledger's balance, its transactions, events still to process
        assert shown in page.ledger_table.value
    events = page.events_table.value
    assert events.index("Credit") < events.index("Debit") < events.index("Account opened")  # newest first


def test_the_page_says_where_the_events_are_stored_and_how_often_it_refreshes(page):
    assert page.status.value == "Events stored in memory · refreshes every 0.05 s"


def test_a_stopped_page_says_so(page):
    page.stop()
    assert page.status.value == "Events stored in memory · stopped: it no longer refreshes"


def test_opening_an_account_picks_it_and_clears_the_owner(page):
    open_account(page, "Alice")
    open_account(page, "Bob")
    assert page.account.label == "2 · Bob"
    assert page.to_account.label == "1 · Alice"  # not the same account
    assert page.owner.value == ""
    assert page.to_account.options == page.account.options


def test_a_page_opened_on_a_bank_with_accounts_starts_with_one_picked(bank):
    for owner in ["Alice", "Bob"]:
        bank.accounts.open_account(owner)
    with Dashboard(bank, every=0.05) as page:
        assert (page.account.label, page.to_account.label) == ("1 · Alice", "2 · Bob")
    page.close()


def test_events_show_their_date_time_and_time_zone(page):
    open_account(page, "Alice")
    assert re.search(r">\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [^<]+<", page.events_table.value)


def test_a_refused_command_shows_the_banks_reason_and_records_nothing(page, bank):
    open_account(page, "Alice")
    page.amount.value = "12.345"
    before = bank.accounts.recorder.max_notification_id()
    page.credit_button.click()
    assert page.message.value == "Refused: amount must have at most 2 decimal places, not 12.345"
    assert bank.accounts.recorder.max_notification_id() == before


def test_messages_are_shown_as_text_not_html(page):
    open_account(page, "<b>Eve</b>")
    assert page.message.value == "Opened account 1 · &lt;b&gt;Eve&lt;/b&gt;"
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page.accounts_table.value


def test_the_page_shows_another_writers_events_by_itself(durable_env):
    with EventSourcedBank(durable_env) as bank, Dashboard(bank, every=0.05) as page:
        open_account(page, "Ann")
        ann = page.account.value
        other_writer = AccountService(env=durable_env)  # shares only the database, like another process

        other_writer.deposit(ann, Decimal("21.00"))

        page.wait_until_shown(lambda shown: shown.ledger.balance == Decimal("21.00"))
        assert page.shown.events[0].event == "Credit"
        assert "21.00" in page.events_table.value
        assert page.shown.ledger.to_process == 0
        other_writer.close()


def test_a_page_left_alone_does_not_change_what_it_shows(page):
    open_account(page, "Alice")
    shown = page.shown
    page.refresh()
    assert page.shown == shown


def test_wait_until_shown_gives_up_with_what_the_page_shows(page):
    with pytest.raises(TimeoutError, match=r"(?s)within 0.1 s; it shows:\nAccounts\n  \(none yet\)"):
        page.wait_until_shown(lambda shown: bool(shown.accounts), timeout=0.1)


def test_stop_ends_the_refreshing_thread(page):
    assert page._thread.is_alive()
    page.stop()
    assert not page._thread.is_alive()


def test_leaving_a_with_block_stops_the_page(bank):
    with Dashboard(bank, every=0.05) as page:
        pass
    assert not page._thread.is_alive()


def test_the_page_stops_refreshing_when_its_bank_stops_and_says_so(bank, page):
    bank.stop()
    page._thread.join(timeout=10)
    assert not page._thread.is_alive()
    assert page.message.value == (
        "The page stopped refreshing: AccountService is closed: nothing was read or recorded"
        " (a stopped bank stays stopped)"
    )
    assert "stopped: it no longer refreshes" in page.status.value


def test_a_button_on_a_page_whose_bank_stopped_shows_the_refusal(bank, page):
    open_account(page, "Alice")
    page.stop()
    bank.stop()
    page.amount.value = "5"
    page.credit_button.click()
    assert page.message.value == (
        "Refused: AccountService is closed: nothing was read or recorded (a stopped bank stays stopped)"
    )


def test_a_button_on_a_stopped_page_still_runs_its_command(page):
    page.stop()
    open_account(page, "Alice")
    assert page.message.value == "Opened account 1 · Alice"
    assert page.shown.accounts[0].name == "1 · Alice"


def test_a_button_shows_what_failed_when_the_panels_cannot_be_redrawn(page, monkeypatch):
    def unreachable():
        raise ConnectionError("the database is down")

    page.stop()
    monkeypatch.setattr(page.live, "catch_up", unreachable)
    open_account(page, "Alice")
    assert page.message.value == (
        "Opened account 1 · Alice (and the panels could not be redrawn: ConnectionError: the database is down)"
    )


def test_a_refresh_that_fails_says_so_and_the_page_keeps_trying(page, monkeypatch):
    def unreachable():
        raise ConnectionError("the database is down")

    monkeypatch.setattr(page.live, "catch_up", unreachable)
    page.wait_until_shown(lambda shown: page.message.value.startswith("Refresh failed"))
    assert page.message.value == "Refresh failed: ConnectionError: the database is down"
    assert page._thread.is_alive()
    monkeypatch.undo()
    open_account(page, "Alice")
    assert page.message.value == "Opened account 1 · Alice"


def test_the_text_shown_for_the_page_is_all_of_its_panels(page):
    open_account(page, "Alice with a rather long name, to make the text longer than ipywidgets' 110 characters")
    bundle = page._repr_mimebundle_()
    assert bundle["text/plain"] == repr(page) == str(page.shown)
    assert len(bundle["text/plain"]) > 110
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_close_stops_the_page_and_closes_all_its_widgets(bank):
    page = Dashboard(bank)
    page.close()
    assert not page._thread.is_alive()
    assert page.comm is None
    assert page.owner.comm is None
    assert page.events_table.comm is None
