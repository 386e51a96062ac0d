"""A picture of processes sharing one database: writers record the leader's
events, followers are told of them and record what they derive in tables
of their own."""

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

PROCESS, TABLE, DATABASE = "#dbe9f6", "#fdf1dc", "#f4f4f4"
BOX_WIDTH, TABLE_WIDTH, BOX_HEIGHT, ROW_GAP = 2.4, 3.4, 0.8, 1.3
WRITERS_X, DATABASE_X, FOLLOWERS_X = 0.0, 5.4, 10.8


def draw_shared_database(
    writers: Sequence[str],
    followers: Mapping[str, str],
    leader_table: str,
    ax: "Axes | None" = None,
    title: str | None = None,
) -> "Axes":
    """Draw writer processes (left), the database with the leader's table and
    each follower's tables (middle), and the follower processes (right);
    return the Axes. `followers` maps each follower process to its tables.

    Each box is a `FancyBboxPatch` whose gid is its label; each arrow a
    `FancyArrowPatch` with gid "<from> -> <to>".
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415 (matplotlib is only needed here)
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: PLC0415

    rows = max(len(writers), len(followers) + 1)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 1.0 * rows + 1.4))
    boxes, centres = {}, {}

    def box(label: str, x: float, y: float, colour: str, width: float = BOX_WIDTH) -> None:
        centres[label] = (x, y)
        boxes[label] = patch = FancyBboxPatch(
            (x - width / 2, y - BOX_HEIGHT / 2),
            width,
            BOX_HEIGHT,
            boxstyle="round,pad=0.05",
            facecolor=colour,
            edgecolor="#1f4e79",
            gid=label,
        )
        ax.add_patch(patch)
        ax.text(x, y, label, ha="center", va="center", fontsize=9)

    def arrow(start: str, end: str, label: str = "", rad: float = 0.0, below: bool = False) -> None:
        ax.add_patch(
            FancyArrowPatch(
                centres[start],
                centres[end],
                patchA=boxes[start],
                patchB=boxes[end],
                arrowstyle="-|>",
                mutation_scale=14,
                color="#1f4e79",
                connectionstyle=f"arc3,rad={rad}",
                gid=f"{start} -> {end}",
            )
        )
        if label:
            (x0, y0), (x1, y1) = centres[start], centres[end]
            y = min(y0, y1) - 0.25 if below else max(y0, y1) + 0.2
            ax.text((x0 + x1) / 2, y, label, ha="center", va="top" if below else "bottom", fontsize=8, style="italic")

    top = 0.0
    database_height = (len(followers) + 1) * ROW_GAP
    ax.add_patch(
        FancyBboxPatch(
            (DATABASE_X - TABLE_WIDTH / 2 - 0.3, top - database_height + ROW_GAP / 2),
            TABLE_WIDTH + 0.6,
            database_height,
            boxstyle="round,pad=0.1",
            facecolor=DATABASE,
            edgecolor="grey",
            gid="database",
        )
    )
    ax.text(DATABASE_X, top + ROW_GAP / 2 + 0.15, "PostgreSQL", ha="center", va="bottom", fontweight="bold")
    box(leader_table, DATABASE_X, top, TABLE, TABLE_WIDTH)
    for row, (follower, tables) in enumerate(followers.items(), 1):
        box(tables, DATABASE_X, top - row * ROW_GAP, TABLE, TABLE_WIDTH)
        box(follower, FOLLOWERS_X, top - row * ROW_GAP + ROW_GAP / 2, PROCESS)
    for row, writer in enumerate(writers):
        box(writer, WRITERS_X, top - row * ROW_GAP, PROCESS)
    for row, writer in enumerate(writers):
        arrow(writer, leader_table, "records events" if row == 0 else "")
    for row, (follower, tables) in enumerate(followers.items()):
        arrow(leader_table, follower, "NOTIFY, then SELECT" if row == 0 else "", rad=-0.15)
        arrow(follower, tables, "records what it derives" if row == len(followers) - 1 else "", rad=-0.15, below=True)
    ax.set_xlim(WRITERS_X - BOX_WIDTH / 2 - 0.3, FOLLOWERS_X + BOX_WIDTH / 2 + 0.3)
    ax.set_ylim(top - (rows - 1) * ROW_GAP - BOX_HEIGHT / 2 - 0.4, top + ROW_GAP / 2 + 0.7)
    ax.set_axis_off()
    ax.set_title(title or "Processes share only the database: writers record, followers follow")
    return ax
