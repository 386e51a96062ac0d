"""draw_system: one box per node, one arrow per edge, read back from the Axes."""

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pytest
from eventsourcing.system import ProcessApplication, System
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from bank import AccountService, LedgerService
from bank.system import EventSourcedBank
from course.drawing import draw_system

bank_system = EventSourcedBank.system


class Auditor(ProcessApplication):
    """A throwaway follower, to make a bigger system."""


class Alerts(ProcessApplication):
    """Another throwaway follower."""


bigger_system = System(pipes=[[AccountService, LedgerService, Auditor], [AccountService, Alerts], [Alerts, Auditor]])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def boxes(ax):
    return {p.get_gid(): p for p in ax.patches if isinstance(p, FancyBboxPatch)}


def arrows(ax):
    return {p.get_gid(): p for p in ax.patches if isinstance(p, FancyArrowPatch)}


@pytest.mark.parametrize("system", [bank_system, bigger_system], ids=["bank", "bigger"])
def test_one_box_per_node_and_one_arrow_per_edge(system):
    ax = draw_system(system)
    assert sorted(boxes(ax)) == sorted(system.nodes)
    assert sorted(arrows(ax)) == sorted(f"{leader} -> {follower}" for leader, follower in system.edges)
    assert len(ax.patches) == len(system.nodes) + len(system.edges)


@pytest.mark.parametrize("system", [bank_system, bigger_system], ids=["bank", "bigger"])
def test_each_arrow_runs_from_its_leader_box_to_its_follower_box(system):
    ax = draw_system(system)
    drawn = boxes(ax)

    def touches(point, name):
        return drawn[name].get_path().get_extents().padded(0.1).contains(*point)

    for leader, follower in system.edges:
        vertices = arrows(ax)[f"{leader} -> {follower}"].get_path().vertices
        assert touches(vertices[0], leader)
        assert any(touches(v, follower) for v in vertices)


def test_boxes_are_labelled_with_name_and_role():
    texts = [t.get_text() for t in draw_system(bigger_system).texts]
    assert dict(zip(texts[::2], texts[1::2], strict=True)) == {
        "AccountService": "leader",
        "LedgerService": "processor",
        "Alerts": "processor",
        "Auditor": "follower",
    }


def test_leaders_stand_left_of_their_followers():
    drawn = boxes(draw_system(bigger_system))
    for leader, follower in bigger_system.edges:
        assert drawn[leader].get_x() < drawn[follower].get_x()


def test_draws_on_the_axes_given_and_titles_it():
    _, ax = plt.subplots()
    assert draw_system(bank_system, ax=ax) is ax
    assert ax.get_title() == "3 applications, 2 edges: events flow along the arrows"
    assert draw_system(bank_system, ax=ax, title="The bank").get_title() == "The bank"


def test_makes_a_new_figure_when_no_axes_is_given():
    first, second = draw_system(bank_system), draw_system(bank_system)
    assert first.figure is not second.figure
