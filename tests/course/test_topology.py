"""draw_shared_database: one box per process and table, one arrow per write
and per follow, read back from the Axes."""

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from course.topology import draw_shared_database

WRITERS = ["writer 1", "writer 2"]
FOLLOWERS = {"partition 1": "partition1_events", "partition 2": "partition2_events"}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def ax():
    return draw_shared_database(WRITERS, FOLLOWERS, "accountservice_events")


def gids(ax, kind):
    return sorted(p.get_gid() for p in ax.patches if isinstance(p, kind))


def test_one_box_per_process_and_table_inside_the_database(ax):
    assert gids(ax, FancyBboxPatch) == sorted(
        ["database", "accountservice_events", *WRITERS, *FOLLOWERS, *FOLLOWERS.values()]
    )


def test_writers_record_and_followers_follow_and_record_their_own(ax):
    assert gids(ax, FancyArrowPatch) == sorted(
        [f"{writer} -> accountservice_events" for writer in WRITERS]
        + [f"accountservice_events -> {follower}" for follower in FOLLOWERS]
        + [f"{follower} -> {tables}" for follower, tables in FOLLOWERS.items()]
    )


def test_the_tables_are_inside_the_database_and_the_processes_outside(ax):
    boxes = {p.get_gid(): p.get_path().get_extents(p.get_transform() - ax.transData) for p in ax.patches}
    database = boxes["database"]
    for table in ["accountservice_events", *FOLLOWERS.values()]:
        assert database.contains(*boxes[table].min)
        assert database.contains(*boxes[table].max)
    for process in [*WRITERS, *FOLLOWERS]:
        assert not database.contains(*boxes[process].min)
