"""A picture of a `System`: one box per application, one arrow per edge
from leader to follower (the way the events flow)."""

from collections.abc import Sized
from typing import TYPE_CHECKING

from eventsourcing.system import System

if TYPE_CHECKING:
    from matplotlib.axes import Axes

BOX_WIDTH, BOX_HEIGHT = 3.4, 0.9
COLUMN_GAP, ROW_GAP = 4.6, 1.6
INCHES_PER_UNIT = 0.8


def draw_system(system: System, ax: "Axes | None" = None, title: str | None = None) -> "Axes":
    """Draw `system` on `ax` (a new figure if None) and return the Axes.

    Each box is a `FancyBboxPatch` and each arrow a `FancyArrowPatch`, both
    with the node's name or the edge "leader -> follower" as their gid.
    Leaders stand left of their followers.
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415 (matplotlib is only needed here)
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: PLC0415

    centres = _layout(system)
    xs = [x for x, _ in centres.values()] or [0.0]
    ys = [y for _, y in centres.values()] or [0.0]
    xlim = (min(xs) - BOX_WIDTH * 0.75, max(xs) + BOX_WIDTH * 0.75)
    ylim = (min(ys) - BOX_HEIGHT, max(ys) + BOX_HEIGHT)
    if ax is None:
        _, ax = plt.subplots(
            figsize=(INCHES_PER_UNIT * (xlim[1] - xlim[0]), INCHES_PER_UNIT * (ylim[1] - ylim[0]) + 0.5)
        )
    boxes = {}
    for name, (x, y) in centres.items():
        boxes[name] = box = FancyBboxPatch(
            (x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2),
            BOX_WIDTH,
            BOX_HEIGHT,
            boxstyle="round,pad=0.05",
            facecolor="#dbe9f6",
            edgecolor="#1f4e79",
            gid=name,
        )
        ax.add_patch(box)
        ax.text(x, y + 0.12, name, ha="center", va="center", fontsize=11, fontweight="bold")
        ax.text(x, y - 0.22, _role(system, name), ha="center", va="center", fontsize=9, style="italic")
    for leader, follower in system.edges:
        arrow = FancyArrowPatch(
            centres[leader],
            centres[follower],
            arrowstyle="-|>",
            mutation_scale=18,
            linewidth=1.5,
            color="#1f4e79",
            shrinkA=0,
            shrinkB=0,
            patchA=boxes[leader],
            patchB=boxes[follower],
            connectionstyle="arc3,rad=0.2" if _is_back_or_skip(centres, leader, follower) else "arc3",
            gid=f"{leader} -> {follower}",
        )
        ax.add_patch(arrow)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title is None:
        title = f"{_count(system.nodes, 'application')}, {_count(system.edges, 'edge')}: events flow along the arrows"
    ax.set_title(title)
    return ax


def _layout(system: System) -> dict[str, tuple[float, float]]:
    """Centre of each box: the column is the longest chain of leaders
    before the node (capped, so cycles end), the row its order in the column."""
    column = dict.fromkeys(system.nodes, 0)
    last = len(system.nodes) - 1
    for _ in system.nodes:
        for leader, follower in system.edges:
            column[follower] = max(column[follower], min(column[leader] + 1, last))
    rows: dict[int, list[str]] = {}
    for name in system.nodes:
        rows.setdefault(column[name], []).append(name)
    return {
        name: (column[name] * COLUMN_GAP, -row * ROW_GAP) for names in rows.values() for row, name in enumerate(names)
    }


def _role(system: System, name: str) -> str:
    if name in system.processors:
        return "processor"
    if name in system.leaders:
        return "leader"
    if name in system.followers:
        return "follower"
    return "single"


def _is_back_or_skip(centres: dict[str, tuple[float, float]], leader: str, follower: str) -> bool:
    """Arrows that do not go one column to the right are curved, so they do
    not run through other boxes."""
    return centres[follower][0] - centres[leader][0] != COLUMN_GAP


def _count(items: Sized, noun: str) -> str:
    n = len(items)
    return f"{n} {noun}{'' if n == 1 else 's'}"
