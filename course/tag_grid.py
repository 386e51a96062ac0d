"""A picture of dynamic consistency boundaries: which event carries which
tag (a grid of events by tags), and, for each decision, the events its
boundary reads (shaded rows)."""

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TAGGED_COLOUR, BOUNDARY_COLOUR = "#1f4e79", "#f4b183"


def draw_tag_grid(
    events: Sequence[tuple[int, str, Sequence[str]]],
    boundaries: Mapping[str, Collection[int]],
    title: str | None = None,
) -> "Figure":
    """Draw one panel per decision in `boundaries` (its name: the positions
    its boundary reads), each a grid of `events` (position, type, tags; one
    row each, first on top) by tags (one column each, in order of first
    appearance), and return the Figure.

    A dot marks each tag an event carries (gid "<position>:<tag>"); the rows
    of the events a decision reads are shaded (gid "read <position>"). Each
    panel's title is the decision and how many events it reads.
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415 (matplotlib is only needed here)

    tags = list(dict.fromkeys(tag for _, _, event_tags in events for tag in event_tags))
    rows = {position: row for row, (position, _, _) in enumerate(events)}
    fig, axes = plt.subplots(
        1,
        len(boundaries),
        figsize=(1.2 + 2.2 * len(boundaries), 0.9 + 0.45 * len(events)),
        sharey=True,
        squeeze=False,
    )
    for ax, (decision, read) in zip(axes[0], boundaries.items(), strict=True):
        for position in read:
            ax.axhspan(rows[position] - 0.45, rows[position] + 0.45, color=BOUNDARY_COLOUR, gid=f"read {position}")
        for position, _, event_tags in events:
            for tag in event_tags:
                dot = (tags.index(tag), rows[position])
                ax.plot(*dot, "o", color=TAGGED_COLOUR, markersize=9, gid=f"{position}:{tag}")
        ax.set_xticks(range(len(tags)), tags)
        ax.set_xlim(-0.6, len(tags) - 0.4)
        ax.set_ylim(len(events) - 0.5, -0.5)
        ax.set_xlabel("tag")
        n = len(read)
        ax.set_title(f"{decision}\nreads {n} event{'' if n == 1 else 's'}", fontsize=10)
    axes[0][0].set_yticks(range(len(events)), [f"{position} {kind}" for position, kind, _ in events])
    axes[0][0].set_ylabel("event (position, type)")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
