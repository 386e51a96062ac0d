"""A picture of one step of a process application: a leader's event goes
through the follower's policy, and what the policy collected is recorded
together with the tracking row, in one transaction."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

BOX_WIDTH, ROW_HEIGHT, GAP = 4.0, 1.2, 0.3
ARROW_LENGTH = 2.2
LEADER_COLOUR, RECORDED_COLOUR, TRACKING_COLOUR = "#dbe9f6", "#e2f0d9", "#fff2cc"


def draw_processing(
    event: str,
    recorded: Sequence[str],
    tracking: str,
    *,
    follower: str = "the follower",
    ax: "Axes | None" = None,
    title: str | None = None,
) -> "Axes":
    """Draw the leader's `event` (a label), an arrow "policy" to a dashed
    frame "one transaction in <follower>'s recorder" holding one box per
    `recorded` event and one for the `tracking` row, on `ax` (a new figure if
    None), and return the Axes.

    The patches' gids: "event", "policy", "transaction", "recorded 0",
    "recorded 1", ..., "tracking".
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415 (matplotlib is only needed here)
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: PLC0415

    rows = [*recorded, tracking]
    height = len(rows) * ROW_HEIGHT + (len(rows) - 1) * GAP
    right = BOX_WIDTH + ARROW_LENGTH
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.6 + 0.9 * height))

    def box(x: float, y: float, label: str, colour: str, gid: str) -> FancyBboxPatch:
        patch = FancyBboxPatch(
            (x, y), BOX_WIDTH, ROW_HEIGHT, boxstyle="round,pad=0.05", facecolor=colour, edgecolor="#1f4e79", gid=gid
        )
        ax.add_patch(patch)
        ax.text(x + BOX_WIDTH / 2, y + ROW_HEIGHT / 2, label, ha="center", va="center", fontsize=9)
        return patch

    box(0, (height - ROW_HEIGHT) / 2, event, LEADER_COLOUR, "event")
    for row, label in enumerate(rows):
        y = height - ROW_HEIGHT - row * (ROW_HEIGHT + GAP)
        is_tracking = row == len(rows) - 1
        box(
            right,
            y,
            label,
            TRACKING_COLOUR if is_tracking else RECORDED_COLOUR,
            "tracking" if is_tracking else f"recorded {row}",
        )
    frame = FancyBboxPatch(
        (right - 0.25, -0.25),
        BOX_WIDTH + 0.5,
        height + 0.5,
        boxstyle="round,pad=0.05",
        facecolor="none",
        edgecolor="gray",
        linestyle="--",
        gid="transaction",
    )
    ax.add_patch(frame)
    ax.text(right + BOX_WIDTH / 2, height + 0.45, f"one transaction in {follower}'s recorder", ha="center", fontsize=9)
    arrow = FancyArrowPatch(
        (BOX_WIDTH, height / 2),
        (right - 0.25, height / 2),
        arrowstyle="-|>",
        mutation_scale=18,
        linewidth=1.5,
        color="#1f4e79",
        shrinkA=4,
        shrinkB=2,
        gid="policy",
    )
    ax.add_patch(arrow)
    ax.text(BOX_WIDTH + ARROW_LENGTH / 2, height / 2 + 0.15, "policy", ha="center", va="bottom", style="italic")
    ax.set_xlim(-0.3, right + BOX_WIDTH + 0.4)
    ax.set_ylim(-0.5, height + 0.9)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title or "What the policy collects is recorded with the tracking row: both or neither")
    return ax
