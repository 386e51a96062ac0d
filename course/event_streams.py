"""A picture of an application's stored events: one row per aggregate, each
event drawn at its position in the notification log and labelled with the
aggregate's version after it."""

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes

STYLES = {  # event name: (marker, colour)
    "Opened": ("s", "gray"),
    "Credited": ("^", "seagreen"),
    "Debited": ("v", "darkorange"),
    "OverdraftLimitSet": ("D", "firebrick"),
    "Closed": ("X", "black"),
}
OTHER = ("o", "steelblue")


def draw_event_streams(table: pd.DataFrame, ax: "Axes | None" = None, title: str | None = None) -> "Axes":
    """Draw `table` (a `stored_events_table`: indexed by position, with
    originator, version and topic columns) on `ax` (a new figure if None)
    and return the Axes.

    Each originator is a row, the first one recorded at the top; each event
    a marker at its position, styled by its event name (the topic's last
    part, one legend entry each) and labelled with its version.
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415 (matplotlib is only needed here)

    originators = list(dict.fromkeys(table["originator"]))
    rows = {originator: row for row, originator in enumerate(originators)}
    names = table["topic"].str.rsplit(".", n=1).str[-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 0.45 * len(table) + 2.5), 1.4 + 0.6 * len(originators)))
    for name in dict.fromkeys(names):
        events = table[names == name]
        marker, colour = STYLES.get(name, OTHER)
        ax.scatter(events.index, events["originator"].map(rows), marker=marker, color=colour, s=90, label=name)
    for position, event in table.iterrows():
        ax.annotate(
            str(event["version"]),
            (position, rows[event["originator"]]),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    ax.set_yticks(range(len(originators)), originators)
    ax.set_ylim(len(originators) - 0.4, -0.6)
    ax.set_xticks(list(table.index))
    ax.set_xlabel("position in the notification log (1 = first event recorded)")
    ax.set_ylabel("aggregate")
    ax.grid(axis="x", linewidth=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", title="event (label: version)")
    if title is None:
        counts = f"{len(table)} events of {len(originators)} aggregates"
        title = f"{counts} in one log: each aggregate counts its own versions"
    ax.set_title(title)
    return ax
