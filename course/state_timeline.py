"""A picture of processes over time: one row per process (a transfer, say),
one bar per state it was in, from the event that put it there to the next
one, along the notification log."""

from collections import Counter
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

COLOURS = {  # state: colour; other states take the colours of matplotlib's cycle
    "requested": "#c6dbef",
    "debited": "#fdae6b",
    "refunding": "#fb6a4a",
    "completed": "#31a354",
    "refunded": "#756bb1",
    "rejected": "#969696",
}


def draw_state_timeline(changes: pd.DataFrame, ax: "Axes | None" = None, title: str | None = None) -> "Axes":
    """Draw `changes` on `ax` (a new figure if None) and return the Axes.

    `changes` has one row per state change, with columns `process` (the
    row's label), `position` (of the event in the notification log) and
    `state` (the state entered). Each state is a bar, with gid "process:
    state", from its position to the process's next change; a final state
    gets a bar one position wide. The first process is the top row.
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415 (matplotlib is only needed here)
    from matplotlib.patches import Patch  # noqa: PLC0415
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415

    processes = list(dict.fromkeys(changes["process"]))
    states = list(dict.fromkeys(changes["state"]))
    cycle = iter(plt.rcParams["axes.prop_cycle"].by_key()["color"] * len(states))
    colours = {state: COLOURS.get(state) or next(cycle) for state in states}
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 0.35 * changes["position"].max() + 3), 1.2 + 0.5 * len(processes)))
    finals = Counter()
    for row, process in enumerate(processes):
        mine = changes[changes["process"] == process].sort_values("position")
        starts = list(mine["position"])
        ends = [*starts[1:], starts[-1] + 1]
        for start, end, state in zip(starts, ends, mine["state"], strict=True):
            ax.barh(row, end - start, left=start, height=0.6, color=colours[state], gid=f"{process}: {state}")
        finals[mine["state"].iloc[-1]] += 1
    ax.set_yticks(range(len(processes)), processes)
    ax.set_ylim(len(processes) - 0.5, -0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # positions are whole numbers
    ax.set_xlabel("position in the notification log (each event moves one process on)")
    ax.set_ylabel("process")
    ax.grid(axis="x", linewidth=0.3)
    legend = [Patch(color=colours[state], label=state) for state in states]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", title="state")
    if title is None:
        title = f"{len(processes)} processes, ending " + ", ".join(f"{n} {state}" for state, n in finals.items())
    ax.set_title(title)
    return ax
