"""upcast_steps follows the mapper's chain of upcasters; draw_upcast_chain
draws one box per step and one arrow per upcaster, read back from the Axes."""

import matplotlib as mpl

mpl.use("Agg")

from decimal import Decimal

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from course.upcasting import describe, draw_upcast_chain, upcast_steps


class Credited:
    """An event class at version 3, as chapter 08 writes one: a note ("" in version 2, None in version 3)."""

    class_version = 3

    @staticmethod
    def upcast_v1_v2(state: dict) -> None:
        state["note"] = ""

    @staticmethod
    def upcast_v2_v3(state: dict) -> None:
        state["note"] = state["note"] or None


class Unversioned:
    """An event class without a class_version: version 1."""


V1_CREDIT = {"timestamp": "noon", "amount": Decimal("100.00")}
V2_CREDIT = {"timestamp": "noon", "amount": Decimal("5.00"), "note": "refund", "class_version": 2}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_a_version_1_state_passes_every_upcaster_in_order():
    steps = upcast_steps(Credited, V1_CREDIT)
    assert [version for version, _ in steps] == [1, 2, 3]
    assert [state.get("note", "absent") for _, state in steps] == ["absent", "", None]


def test_a_state_enters_the_chain_at_its_stored_version_and_is_left_unchanged():
    stored = dict(V2_CREDIT)
    steps = upcast_steps(Credited, stored)
    unchanged = {"timestamp": "noon", "amount": Decimal("5.00"), "note": "refund"}
    assert steps == [(2, unchanged), (3, unchanged)]
    assert stored == V2_CREDIT


def test_a_class_without_versions_takes_the_state_as_it_is():
    assert upcast_steps(Unversioned, V1_CREDIT) == [(1, {"timestamp": "noon", "amount": Decimal("100.00")})]


def test_a_state_is_described_without_its_timestamp():
    assert describe({"timestamp": "noon", "amount": Decimal("5.00"), "note": None}) == "amount: 5.00\nnote: None"


def test_one_box_per_step_and_one_arrow_per_upcaster():
    journeys = {
        "old": upcast_steps(Credited, V1_CREDIT),
        "newer": upcast_steps(Credited, V2_CREDIT),
    }
    ax = draw_upcast_chain(journeys)
    boxes = sorted(p.get_gid() for p in ax.patches if isinstance(p, FancyBboxPatch))
    arrows = sorted(p.get_gid() for p in ax.patches if isinstance(p, FancyArrowPatch))
    assert boxes == ["newer v2", "newer v3", "old v1", "old v2", "old v3"]
    assert arrows == ["newer upcast_v2_v3", "old upcast_v1_v2", "old upcast_v2_v3"]


def test_the_same_version_is_drawn_in_the_same_column():
    journeys = {
        "old": upcast_steps(Credited, V1_CREDIT),
        "newer": upcast_steps(Credited, V2_CREDIT),
    }
    ax = draw_upcast_chain(journeys)
    left = {p.get_gid(): p.get_x() for p in ax.patches if isinstance(p, FancyBboxPatch)}
    assert left["old v2"] == left["newer v2"]
    assert left["old v1"] < left["old v2"] < left["old v3"]


def test_the_last_column_names_the_class_the_state_becomes():
    ax = draw_upcast_chain({"old": upcast_steps(Credited, V1_CREDIT)}, read_as="SavingsJar.Credited")
    headers = [t.get_text() for t in ax.texts if t.get_text().startswith("version")]
    assert headers == ["version 1", "version 2", "version 3: SavingsJar.Credited"]
