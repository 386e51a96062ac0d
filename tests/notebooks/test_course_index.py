"""The chapter table: the same in the README and in 00_index, and true to the notebooks folder."""

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
ROW = re.compile(r"^\| \[(\d\d) · [^]]+\]\((?:notebooks/)?(\d\d_\w+\.ipynb)\) \| (.+) \| (\d+) \|$", re.M)
TOTAL = re.compile(r"^\| \*\*Total\*\* \| \| \*\*(\d+)\*\* \|$", re.M)


def index_text() -> str:
    nb = nbformat.read(NOTEBOOKS / "00_index.ipynb", as_version=4)
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def readme_text() -> str:
    return (ROOT / "README.md").read_text()


def chapters(text: str) -> list[tuple[str, str, str, int]]:
    return [(number, file, line, int(minutes)) for number, file, line, minutes in ROW.findall(text)]


def test_readme_and_index_list_the_same_chapters():
    assert chapters(index_text())
    assert chapters(readme_text()) == chapters(index_text())


def test_chapters_are_numbered_in_order_from_00():
    rows = chapters(index_text())
    assert [number for number, *_ in rows] == [f"{n:02d}" for n in range(len(rows))]
    assert all(file.startswith(number + "_") for number, file, *_ in rows)


def test_total_is_the_sum_of_the_minutes():
    for text in (index_text(), readme_text()):
        (total,) = TOTAL.findall(text)
        assert int(total) == sum(minutes for *_, minutes in chapters(text))


def test_every_chapter_in_the_table_exists_and_every_chapter_is_in_the_table():
    listed = {file for _, file, *_ in chapters(index_text())}
    present = {path.name for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    assert listed == present
