"""draw_processing: the leader's event, the policy arrow, and one dashed
transaction frame around what is recorded and the tracking row."""

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from course.processing_diagram import draw_processing


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def patches(ax):
    return {patch.get_gid(): patch for patch in ax.patches}


def extent(patch):
    return patch.get_path().get_extents(patch.get_transform() - patch.axes.transData)


@pytest.mark.parametrize("recorded", [["Ledger.TransactionAdded"], ["Ledger.Opened", "Ledger.TransactionAdded"]])
def test_one_box_per_recorded_event_and_one_for_tracking_inside_the_transaction(recorded):
    ax = draw_processing("Account.Credited", recorded, "tracking: AccountService, 10", follower="LedgerService")
    drawn = patches(ax)
    boxes = [f"recorded {i}" for i in range(len(recorded))]
    assert sorted(drawn) == sorted(["event", "policy", "transaction", "tracking", *boxes])
    frame = extent(drawn["transaction"])
    for gid in [*boxes, "tracking"]:
        assert isinstance(drawn[gid], FancyBboxPatch)
        box = extent(drawn[gid])
        assert frame.x0 < box.x0 < box.x1 < frame.x1
        assert frame.y0 < box.y0 < box.y1 < frame.y1
    assert not frame.overlaps(extent(drawn["event"]))


def test_the_tracking_row_is_the_last_box_in_the_frame():
    drawn = patches(draw_processing("event", ["first", "second"], "tracking"))
    tops = [extent(drawn[gid]).y1 for gid in ("recorded 0", "recorded 1", "tracking")]
    assert tops == sorted(tops, reverse=True)


def test_the_policy_arrow_runs_from_the_event_to_the_transaction():
    ax = draw_processing("event", ["recorded"], "tracking")
    drawn = patches(ax)
    assert isinstance(drawn["policy"], FancyArrowPatch)
    arrow = drawn["policy"].get_path().get_extents()
    event, frame = extent(drawn["event"]), extent(drawn["transaction"])
    assert arrow.x0 == pytest.approx(event.x1, abs=0.15)
    assert arrow.x1 == pytest.approx(frame.x0, abs=0.15)
    assert event.y0 < arrow.y0 < arrow.y1 < event.y1


def test_the_labels_are_shown():
    ax = draw_processing(
        "Account.Credited 7.00", ["Ledger.TransactionAdded"], "AccountService, 10", follower="LedgerService"
    )
    texts = {text.get_text() for text in ax.texts}
    assert {"Account.Credited 7.00", "Ledger.TransactionAdded", "AccountService, 10", "policy"} <= texts
    assert "one transaction in LedgerService's recorder" in texts
