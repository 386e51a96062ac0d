"""draw_state_timeline: one row per process, one bar per state, from its
change to the next, read back from the Axes."""

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from course.state_timeline import COLOURS, draw_state_timeline

CHANGES = pd.DataFrame(
    [
        ("T1", 1, "requested"),
        ("T1", 2, "debited"),
        ("T1", 3, "completed"),
        ("T2", 4, "requested"),
        ("T2", 6, "rejected"),
        ("T3", 5, "requested"),
        ("T3", 7, "waiting"),
    ],
    columns=["process", "position", "state"],
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def bars(ax) -> dict[str, Rectangle]:
    return {p.get_gid(): p for p in ax.patches if p.get_gid()}


def test_one_bar_per_state_change():
    drawn = bars(draw_state_timeline(CHANGES))
    assert sorted(drawn) == sorted(f"{p}: {s}" for p, s in zip(CHANGES["process"], CHANGES["state"], strict=True))


def test_a_state_lasts_until_the_next_change_and_a_final_one_a_position():
    drawn = bars(draw_state_timeline(CHANGES))
    spans = {gid: (bar.get_x(), bar.get_x() + bar.get_width()) for gid, bar in drawn.items()}
    assert spans["T1: requested"] == (1, 2)
    assert spans["T2: requested"] == (4, 6)  # position 5 belongs to another process
    assert spans["T2: rejected"] == (6, 7)


def test_each_process_has_its_row_the_first_at_the_top():
    ax = draw_state_timeline(CHANGES)
    rows = {gid.split(":")[0]: bar.get_y() + bar.get_height() / 2 for gid, bar in bars(ax).items()}
    assert rows == {"T1": 0, "T2": 1, "T3": 2}
    assert [label.get_text() for label in ax.get_yticklabels()] == ["T1", "T2", "T3"]
    bottom, top = ax.get_ylim()
    assert bottom > top, "the first process is at the top"


def test_known_states_have_their_colours_and_every_state_is_in_the_legend():
    ax = draw_state_timeline(CHANGES)
    drawn = bars(ax)
    assert mpl.colors.to_hex(drawn["T1: completed"].get_facecolor()) == COLOURS["completed"]
    assert drawn["T3: waiting"].get_facecolor() != drawn["T3: requested"].get_facecolor()
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["requested", "debited", "completed", "rejected", "waiting"]


def test_axes_are_labelled_and_the_default_title_counts_the_endings():
    ax = draw_state_timeline(CHANGES)
    assert "position in the notification log" in ax.get_xlabel()
    assert ax.get_ylabel() == "process"
    assert ax.get_title() == "3 processes, ending 1 completed, 1 rejected, 1 waiting"
    assert draw_state_timeline(CHANGES, title="mine").get_title() == "mine"
