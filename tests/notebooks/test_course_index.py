"""The chapter table: the same in the README and in 00_index, and true to the
notebooks folder; the chapters' titles and order everywhere as in _toc.yml."""

import re
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
TABLE_LINK = re.compile(r"\[([^\]]+)\]\((?:notebooks/)?(\d\d_\w+)\.ipynb\)")
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


def toc() -> list[tuple[str, str]]:
    """(notebook, title) of every chapter, from _toc.yml, the one source of their titles and order."""
    data = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [(data["root"], data["title"]), *((item["file"], item["title"]) for item in data["chapters"])]
    return [(Path(file).name, title) for file, title in pages if re.match(r"notebooks/\d\d_", file)]


def table_links(text: str) -> list[tuple[str, str]]:
    """(notebook, title) of every link to a chapter in the text's table rows, in order."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [(file, title) for row in rows for title, file in TABLE_LINK.findall(row)]


def test_the_toc_lists_every_chapter_in_order_then_the_workshop_guide():
    assert [file for file, _ in toc()] == sorted(path.stem for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert [title[:5] for _, title in toc()] == [f"{n:02d} · " for n in range(len(toc()))]
    last = yaml.safe_load((ROOT / "_toc.yml").read_text())["chapters"][-1]
    assert last == {"file": "notebooks/workshop", "title": "Workshop guide"}


def test_the_index_readme_and_workshop_tables_name_the_chapters_as_the_toc_does():
    assert table_links(index_text()) == toc()
    assert table_links(readme_text()) == toc()
    guide = (NOTEBOOKS / "workshop.md").read_text()
    minutes = re.search(r"^## Minutes per chapter\n(.*?)^## ", guide, re.M | re.S)[1]
    assert table_links(minutes) == toc()
    assert set(table_links(guide)) <= set(toc()), "the schedules name each chapter by its title"


def test_each_chapter_is_headed_with_its_title_in_the_toc():
    headed = []
    for file, _ in toc():
        nb = nbformat.read(NOTEBOOKS / f"{file}.ipynb", as_version=4)
        text = "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
        headed.append((file, re.search(r"^# (.+?)\s*$", text, re.M)[1]))
    assert [file for file, _ in headed] == [file for file, _ in toc()]
    assert [(heading, title) for (_, heading), (_, title) in zip(headed, toc(), strict=True) if heading != title] == []
    assert (NOTEBOOKS / "workshop.md").read_text().startswith("# Workshop guide\n")


def navigation(position: int) -> str:
    """The navigation line of the chapter at `position` in the toc: previous, contents, next."""
    chapters = toc()
    link = "[{1}]({0}.ipynb)"
    parts = []
    if position > 0:
        parts.append("**Previous:** " + link.format(*chapters[position - 1]))
    if position > 1:
        parts.append("**Contents:** " + link.format(*chapters[0]))
    if position < len(chapters) - 1:
        parts.append("**Next:** " + link.format(*chapters[position + 1]))
    return " | ".join(parts)


def test_each_chapter_starts_and_ends_with_its_navigation_line():
    for position, (file, _) in enumerate(toc()):
        nb = nbformat.read(NOTEBOOKS / f"{file}.ipynb", as_version=4)
        markdown = [cell.source.strip() for cell in nb.cells if cell.cell_type == "markdown"]
        assert markdown[0].splitlines()[0] == navigation(position), file
        assert markdown[-1].splitlines()[-1] == navigation(position), file
