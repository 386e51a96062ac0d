"""draw_event_streams: one row per aggregate, one marker per event at its
position in the log, labelled with its version."""

from decimal import Decimal

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pytest

from course.event_streams import draw_event_streams
from course.tables import stored_events_table


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def table(accounts):
    """Positions 1-7: Alice and Bob opened, Alice credited, a transfer
    (Alice debited, Bob credited), Carol opened and closed."""
    alice = accounts.open_account("Alice")
    bob = accounts.open_account("Bob")
    accounts.deposit(alice, Decimal("10.00"))
    accounts.transfer(alice, bob, Decimal("4.00"))
    accounts.close_account(accounts.open_account("Carol"))
    return stored_events_table(accounts, {alice: "Alice", bob: "Bob", accounts.list_accounts()[2]: "Carol"})


def markers(ax):
    """The (position, row) of each marker, by legend label."""
    return {c.get_label(): sorted(tuple(xy) for xy in c.get_offsets().tolist()) for c in ax.collections}


def test_each_event_is_a_marker_at_its_position_in_its_aggregates_row(table):
    assert markers(draw_event_streams(table)) == {
        "Opened": [(1, 0), (2, 1), (6, 2)],
        "Credited": [(3, 0), (5, 1)],
        "Debited": [(4, 0)],
        "Closed": [(7, 2)],
    }


def test_rows_are_the_aggregates_in_order_of_their_first_event_top_down(table):
    ax = draw_event_streams(table)
    assert [label.get_text() for label in ax.get_yticklabels()] == ["Alice", "Bob", "Carol"]
    bottom, top = ax.get_ylim()
    assert top < 0
    assert bottom > 2


def test_each_marker_is_labelled_with_the_version_after_its_event(table):
    ax = draw_event_streams(table)
    labels = sorted((text.xy[0], text.get_text()) for text in ax.texts)
    assert labels == [(1, "1"), (2, "1"), (3, "2"), (4, "3"), (5, "2"), (6, "1"), (7, "2")]


def test_the_default_title_counts_events_and_aggregates(table):
    assert draw_event_streams(table).get_title().startswith("7 events of 3 aggregates in one log")
    assert draw_event_streams(table, title="mine").get_title() == "mine"
