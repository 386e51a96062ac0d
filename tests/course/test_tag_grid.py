"""draw_tag_grid: a dot per tag an event carries, a shaded row per event a
decision reads, one panel per decision; read back from the Axes."""

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pytest

from course.tag_grid import draw_tag_grid

EVENTS = [
    (1, "AccountOpened", ["Alice"]),
    (2, "AccountOpened", ["Bob"]),
    (3, "MoneyTransferred", ["Alice", "Bob"]),
]
BOUNDARIES = {"withdraw from Alice": [1, 3], "deposit to Bob": [2]}


@pytest.fixture
def figure():
    fig = draw_tag_grid(EVENTS, BOUNDARIES, title="Boundaries")
    yield fig
    plt.close(fig)


def gids(ax, prefix=""):
    """The gids (those starting with `prefix`) of the Axes' artists, sorted."""
    named = [artist.get_gid() for artist in ax.get_children() if artist.get_gid() is not None]
    return sorted(gid for gid in named if gid.startswith(prefix))


def test_one_panel_per_decision_titled_with_how_many_events_it_reads(figure):
    assert [ax.get_title() for ax in figure.axes] == [
        "withdraw from Alice\nreads 2 events",
        "deposit to Bob\nreads 1 event",
    ]
    assert figure.get_suptitle() == "Boundaries"


def test_a_dot_for_each_tag_each_event_carries(figure):
    for ax in figure.axes:
        dots = [gid for gid in gids(ax) if ":" in gid]
        assert dots == ["1:Alice", "2:Bob", "3:Alice", "3:Bob"]


def test_the_dots_stand_in_the_row_of_their_event_and_the_column_of_their_tag(figure):
    ax = figure.axes[0]
    (line,) = [artist for artist in ax.get_children() if artist.get_gid() == "3:Bob"]
    assert (line.get_xdata()[0], line.get_ydata()[0]) == (1, 2)
    assert [label.get_text() for label in ax.get_xticklabels()] == ["Alice", "Bob"]
    assert [label.get_text() for label in ax.get_yticklabels()] == [
        "1 AccountOpened",
        "2 AccountOpened",
        "3 MoneyTransferred",
    ]


def test_the_rows_a_decision_reads_are_shaded(figure):
    withdraw, deposit = figure.axes
    assert gids(withdraw, "read") == ["read 1", "read 3"]
    assert gids(deposit, "read") == ["read 2"]
