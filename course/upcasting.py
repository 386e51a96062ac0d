"""A stored event's way through the chain of upcasters: computed the way the
library's mapper does it, and drawn one column per version."""

from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Steps = list[tuple[int, dict[str, Any]]]

BOX_WIDTH, BOX_HEIGHT = 2.7, 1.0
COLUMN_GAP, ROW_GAP = 4.3, 1.5
STORED, UPCAST = "#dbe9f6", "#eef4e8"


def upcast_steps(event_class: type, state: dict[str, Any]) -> Steps:
    """The event's state at each version, from the one it was stored at (its
    `class_version`, 1 if absent) up to `event_class.class_version`: a list of
    (version, state) pairs. Calls the class's `upcast_vN_vN+1` methods one
    after another, as `Mapper.to_domain_event` does; `state` is left as it was.
    """
    state = dict(state)
    version = state.pop("class_version", 1)
    steps = [(version, dict(state))]
    while version < getattr(event_class, "class_version", 1):
        getattr(event_class, f"upcast_v{version}_v{version + 1}")(state)
        version += 1
        steps.append((version, dict(state)))
    return steps


def describe(state: dict[str, Any]) -> str:
    """A state's fields, one per line (timestamps left out: they say nothing here)."""
    return "\n".join(
        f"{key}: {value!r}" if isinstance(value, str | None) else f"{key}: {value}"
        for key, value in state.items()
        if key != "timestamp"
    )


def draw_upcast_chain(
    journeys: dict[str, Steps], read_as: str = "", ax: "Axes | None" = None, title: str | None = None
) -> "Axes":
    """Draw each stored event (a row, named by its key) at each version it
    passes (a column), with an arrow for each upcaster; return the Axes.
    `read_as` names the class the newest state becomes (in the last header).

    Each box is a `FancyBboxPatch` with gid "<row> v<version>", each arrow a
    `FancyArrowPatch` with gid "<row> upcast_v<N>_v<N+1>".
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415 (matplotlib is only needed here)
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: PLC0415

    versions = sorted({version for steps in journeys.values() for version, _ in steps})
    column = {version: index for index, version in enumerate(versions)}
    if ax is None:
        _, ax = plt.subplots(figsize=(3.6 * len(versions) + 1.5, 1.6 * len(journeys) + 1.0))
    for row, (name, steps) in enumerate(journeys.items()):
        y = -row * ROW_GAP
        ax.text(-BOX_WIDTH / 2 - 0.2, y, name, ha="right", va="center", fontsize=10, fontweight="bold")
        boxes = []
        for version, state in steps:
            x = column[version] * COLUMN_GAP
            box = FancyBboxPatch(
                (x - BOX_WIDTH / 2, y - BOX_HEIGHT / 2),
                BOX_WIDTH,
                BOX_HEIGHT,
                boxstyle="round,pad=0.05",
                facecolor=STORED if version == steps[0][0] else UPCAST,
                edgecolor="#1f4e79",
                gid=f"{name} v{version}",
            )
            ax.add_patch(box)
            ax.text(x, y, describe(state), ha="center", va="center", fontsize=9, family="monospace")
            boxes.append((version, x, box))
        for (version, x, box), (_, next_x, next_box) in pairwise(boxes):
            upcaster = f"upcast_v{version}_v{version + 1}"
            ax.add_patch(
                FancyArrowPatch(
                    (x, y),
                    (next_x, y),
                    arrowstyle="-|>",
                    mutation_scale=16,
                    color="#1f4e79",
                    patchA=box,
                    patchB=next_box,
                    gid=f"{name} {upcaster}",
                )
            )
            ax.text((x + next_x) / 2, y + 0.15, upcaster, ha="center", va="bottom", fontsize=8, style="italic")
    top = BOX_HEIGHT / 2 + 0.5
    for version, index in column.items():
        header = f"version {version}" + (f": {read_as}" if read_as and index == len(column) - 1 else "")
        ax.text(index * COLUMN_GAP, top, header, ha="center", va="bottom", fontsize=10)
    bottom = -(len(journeys) - 1) * ROW_GAP - BOX_HEIGHT / 2 - 0.3
    ax.text(0, bottom, "blue: the state as stored; green: the state after an upcaster", ha="left", va="top", fontsize=9)
    ax.set_xlim(-BOX_WIDTH / 2 - 2.6, (len(versions) - 1) * COLUMN_GAP + BOX_WIDTH / 2 + 0.2)
    ax.set_ylim(bottom - 0.5, top + 0.5)
    ax.set_axis_off()
    ax.set_title(title or "Each stored event enters the chain at its own version and leaves at the newest")
    return ax
