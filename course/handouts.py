"""The handouts: the course as a Jupyter Book (`_config.yml`, `_toc.yml`), and its PDF.

Jupyter Book builds the site from the executed notebooks, running nothing (see
the README's "Workshop handouts"). This module does the little it cannot:

- As a Sphinx extension (`_config.yml` loads it), it changes each notebook as
  the book reads it, never on disk: a self-check (a code cell that calls
  `check(...)`) keeps its code but not its output, the "Not yet: ..." of an
  exercise left unsolved; and the instructor edition
  (`HANDOUTS_EDITION=instructor`) shows each exercise's solution, the file its
  `# %load solutions/...` line names, below the exercise.
- `python -m course.handouts OUTDIR` builds the book as one page (Jupyter
  Book's `singlehtml` builder, into OUTDIR as `--path-output` does) and prints
  it with Chromium to OUTDIR/course.pdf, laid out by the book's
  `_static/print.css`: the headings as bookmarks, page numbers, and the
  contents with the page each chapter starts on.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ("student", "instructor")
LOAD = re.compile(r"^# %load (solutions/\S+\.py)$", re.M)
CHECK = re.compile(r"^check\(", re.M)


def edit_notebook(nb: nbformat.NotebookNode, folder: Path, instructor: bool) -> list[Path]:
    """The notebook as the handouts show it; returns the solution files shown."""
    cells, shown = [], []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        if CHECK.search(cell.source):
            cell.outputs = []
        for name in LOAD.findall(cell.source) if instructor else []:
            shown.append(folder / name)
            cells.append(nbformat.v4.new_markdown_cell(f"**Solution** (`{name}`):"))
            cells.append(nbformat.v4.new_code_cell(shown[-1].read_text(encoding="utf-8").rstrip()))
    nb.cells = cells
    return shown


def read_notebook(app, docname: str, source: list[str]) -> None:
    """Sphinx's `source-read` event: the notebook's text, as the handouts show it."""
    path = Path(app.env.doc2path(docname))
    if path.suffix == ".ipynb":
        nb = nbformat.reads(source[0], as_version=4)
        for solution in edit_notebook(nb, path.parent, app.config.handouts_edition == "instructor"):
            app.env.note_dependency(str(solution))  # a changed solution rebuilds its chapter
        source[0] = nbformat.writes(nb)


def choose_edition(app, config) -> None:
    if config.handouts_edition not in EDITIONS:
        raise ValueError(f"HANDOUTS_EDITION must be one of {EDITIONS}, not {config.handouts_edition!r}")
    if config.handouts_edition == "instructor":
        config.html_theme_options["announcement"] = "Instructor edition: each exercise's solution is shown below it."


def one_page_without_permalinks(app) -> None:
    """The one page is for printing: its headings become the PDF's bookmarks, without their "#" link."""
    if app.builder.name == "singlehtml":
        app.config.html_permalinks = False


def setup(app):
    app.add_config_value("handouts_edition", os.environ.get("HANDOUTS_EDITION", "student"), "env")
    app.connect("config-inited", choose_edition)
    app.connect("builder-inited", one_page_without_permalinks)
    app.connect("source-read", read_notebook)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def find_chromium() -> str | None:
    return next(filter(None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])), None)


def print_pdf(page: Path, pdf: Path, chromium: str) -> None:
    with tempfile.TemporaryDirectory() as profile:
        switches = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        switches += ["--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}"]
        switches += ["--no-pdf-header-footer", "--generate-pdf-document-outline", f"--print-to-pdf={pdf}"]
        subprocess.run([chromium, *switches, page.as_uri()], capture_output=True, check=True, timeout=600)


def print_book(page: Path, pdf: Path, chromium: str) -> None:
    """Print the one page twice: the first print tells on which page each chapter
    starts (where its anchor points), the second shows it in the contents."""
    from pypdf import PdfReader  # noqa: PLC0415 (the handouts extra)

    draft = pdf.with_name(f".{pdf.name}")
    print_pdf(page, draft, chromium)
    reader = PdfReader(draft)
    destinations = reader.named_destinations.items()
    starts = {name.lstrip("/"): reader.get_destination_page_number(to) + 1 for name, to in destinations}
    html = page.read_text(encoding="utf-8")
    begin = html.index('id="jb-print-toc"')
    end = html.index("</nav>", begin)
    entry = re.compile(r'<a class="reference internal nav-link" href="#(document-[^"]+)">.*?</a>')
    contents = entry.sub(lambda m: f'{m[0]}<span class="handout-page">{starts[m[1]]}</span>', html[begin:end])
    page.write_text(html[:begin] + contents + html[end:], encoding="utf-8")
    print_pdf(page, draft, chromium)
    draft.replace(pdf)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.handouts", description="Print the book as a PDF.")
    parser.add_argument("outdir", type=Path, help="the book's output folder (jupyter-book's --path-output)")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if not chromium:
        print("error: Chromium not found (Debian: apt-get install chromium)", file=sys.stderr)
        return 1
    jupyter_book = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(ROOT)]
    subprocess.run([*jupyter_book, "--builder", "singlehtml", "--path-output", str(args.outdir)], check=True)
    # Sphinx writes the page where the root document is (notebooks/) but links
    # its images and styles from the output's top folder: printed from there.
    page = args.outdir / "_build" / "singlehtml" / "index.html"
    shutil.copyfile(page.parent / "notebooks" / "00_index.html", page)
    print_book(page, args.outdir / "course.pdf", chromium)
    print(f"Wrote {args.outdir / 'course.pdf'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
