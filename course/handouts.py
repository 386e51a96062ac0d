"""`python -m course.handouts OUTDIR`: the executed notebooks as workshop handouts.

Writes one HTML page per chapter (code, outputs and plots; no solutions, or
with `--instructor` each solution below its exercise), `workshop.html`, an
`index.html` with the course map, and `course.pdf`: the whole course with a
table of contents and page numbers, printed by headless Chromium. Nothing is
executed: the pages show the outputs committed in the notebooks.
"""

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html

COURSE = "The Event-Sourced Bank"
CHAPTER_FILES = "[0-9][0-9]_*.ipynb"
WORKSHOP = "workshop"
LOAD = re.compile(r"^# %load (solutions/\S+\.py)$", re.M)
HEADING = re.compile(r"^#\s+(.+?)\s*$", re.M)
# A row of the workshop page's "Minutes per chapter" table: | [..](NN_name.ipynb) | teaching | exercises |
# A row of the index's chapter table: | [01 · Aggregates](01_aggregates.ipynb) | what you do | 25 |
SUMMARY_ROW = re.compile(r"^\|\s*\[[^\]]*\]\((\d\d_\w+)\.ipynb\)\s*\|\s*([^|]*?)\s*\|\s*\d+\s*\|\s*$", re.M)
MINUTES_ROW = re.compile(r"^\|\s*\[[^\]]*\]\((\d\d_\w+)\.ipynb\)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|", re.M)
# Links between notebooks, as nbconvert renders them.
LINK = re.compile(r'href="(?:\./)?(\d\d_\w+|workshop)\.(?:ipynb|md)(#[^"]*)?"')

# The lab template, offline (no scripts from the web), with error outputs marked
# (`handout-error`; stderr streams look the same otherwise) and our CSS last.
TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}<style>{{ resources.handout_css }}</style>{%- endblock html_head_css -%}
{%- block body_header -%}{{ super() }}{{ resources.handout_front }}{%- endblock body_header -%}
{% block error -%}
<div class="jp-RenderedText jp-OutputArea-output handout-error" data-mime-type="application/vnd.jupyter.stderr">
<pre>
{{- super() -}}
</pre>
</div>
{%- endblock error %}
"""

CSS = """
body { max-width: 60rem; margin: 0 auto; }
.jp-Cell.celltag_solution { border-left: 4px solid #2e7d32; background: #f1f8e9; }
.handout-banner { padding: .5rem 1rem; background: #fff3e0; border-left: 4px solid #ef6c00; }
.jp-RenderedHTMLCommon .course-map { width: 100%; }
.jp-RenderedHTMLCommon .course-map td, .jp-RenderedHTMLCommon .course-map th { text-align: left; vertical-align: top; }
.jp-RenderedHTMLCommon .course-map td p { margin: 0; }
.celltag_raises-exception .handout-error::before { content: "An error shown on purpose:"; font-weight: bold; }
.course-map td.minutes, .course-map th.minutes { text-align: right; }
.jp-RenderedHTMLCommon .toc { width: 100%; margin: 1rem 0; }
.jp-RenderedHTMLCommon .toc td { text-align: left; padding: .3rem .5rem; }
.jp-RenderedHTMLCommon .toc td.num { text-align: right; width: 5rem; }
.cover { padding-top: 30vh; break-after: page; }
.jp-RenderedHTMLCommon.cover h1, .jp-RenderedHTMLCommon.cover p { text-align: center; }
.jp-RenderedHTMLCommon.cover h1 { font-size: 2.5rem; }
@page { size: A4; margin: 16mm 14mm 18mm;
  @bottom-center { content: counter(page) " / " counter(pages); font: 9pt sans-serif; color: #555; } }
@page :first { @bottom-center { content: none; } }
@media print {
  body { max-width: none; }
  .chapter-start { break-before: page; }
  .anchor-link { display: none; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  h1, h2, h3 { break-after: avoid; }
  .jp-InputArea, .jp-OutputArea-output img, tr { break-inside: avoid; }
  .jp-OutputArea-child:has(.jp-RenderedText) { break-inside: auto; }
}
"""


class HandoutError(Exception):
    """The notebooks cannot be turned into handouts as they are."""


@dataclass
class Page:
    """One page of the handouts: a chapter, or the workshop guide."""

    name: str  # file stem: "01_aggregates", or "workshop"
    title: str  # plain text of the first heading
    summary: str  # the index's line for it, or the first sentence below the title (Markdown)
    minutes: tuple[int, int] | None  # (teaching, exercises), from the workshop page
    notebook: nbformat.NotebookNode


def plain(markdown: str) -> str:
    """'01 · `Account`' from '01 · `Account`' without Markdown marks."""
    return re.sub(r"[`*_]", "", markdown).strip()


def first_heading(nb: nbformat.NotebookNode) -> tuple[str, str]:
    """The title, from the first Markdown cell with a `# ` heading, and the first sentence of prose below it."""
    for cell in nb.cells:
        match = cell.cell_type == "markdown" and HEADING.search(cell.source)
        if match:
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", cell.source[match.end() :])]
            prose = next((p for p in paragraphs if p and p[0] not in "*-[#<|"), "")
            return plain(match[1]), re.match(r"(.*?[.!?])(?:\s|$)|(.*)", prose)[0].strip()
    raise HandoutError("no '# Title' heading in any Markdown cell")


def chapter_minutes(workshop_text: str) -> dict[str, tuple[int, int]]:
    """{'01_aggregates': (15, 10)}: teaching and exercise minutes from the workshop page's table."""
    return {m[1]: (int(m[2]), int(m[3])) for m in MINUTES_ROW.finditer(workshop_text)}


def chapter_summaries(notebooks: Path) -> dict[str, str]:
    """{'01_aggregates': 'what you do'} from the index notebook's chapter table, if it has one."""
    index = sorted(notebooks.glob("00_*.ipynb"))
    if not index:
        return {}
    nb = nbformat.read(index[0], as_version=4)
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    return {m[1]: m[2] for m in SUMMARY_ROW.finditer(text)}


def read_pages(notebooks: Path, instructor: bool) -> tuple[list[Page], Page | None]:
    """The chapters in order, and the workshop page if there is one."""
    workshop_md = notebooks / f"{WORKSHOP}.md"
    workshop_text = workshop_md.read_text(encoding="utf-8") if workshop_md.exists() else ""
    minutes = chapter_minutes(workshop_text)
    summaries = chapter_summaries(notebooks)
    chapters = []
    for path in sorted(notebooks.glob(CHAPTER_FILES)):
        nb = nbformat.read(path, as_version=4)
        try:
            title, summary = first_heading(nb)
            refuse_unexpected_errors(nb)
        except HandoutError as error:
            raise HandoutError(f"{path.name}: {error}") from None
        if instructor:
            add_solutions(nb, notebooks)
        summary = summaries.get(path.stem, summary)  # the index's line, else the first sentence
        chapters.append(Page(path.stem, title, summary, minutes.get(path.stem), nb))
    if not chapters:
        raise HandoutError(f"no chapter notebooks ({CHAPTER_FILES}) in {notebooks}")
    workshop = None
    if workshop_text:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(workshop_text)])
        workshop = Page(WORKSHOP, first_heading(nb)[0], "", None, nb)
    return chapters, workshop


def refuse_unexpected_errors(nb: nbformat.NotebookNode) -> None:
    """A handout shows only the errors a chapter shows on purpose (cells tagged `raises-exception`)."""
    for number, cell in enumerate(nb.cells, 1):
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        errors = [out for out in cell.get("outputs", []) if out.output_type == "error"]
        if errors and not tagged:
            raise HandoutError(f"cell {number} shows {errors[0].ename} but is not tagged raises-exception")


def add_solutions(nb: nbformat.NotebookNode, notebooks: Path) -> None:
    """Below each exercise cell (`# %load solutions/...`), the solution's code, tagged `solution`."""
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        for name in LOAD.findall(cell.source) if cell.cell_type == "code" else []:
            path = notebooks / name
            if not path.exists():
                raise HandoutError(f"missing solution file {path}")
            tags = {"tags": ["solution"]}
            cells.append(nbformat.v4.new_markdown_cell(f"**Solution** (`{name}`)", metadata=tags))
            cells.append(nbformat.v4.new_code_cell(path.read_text(encoding="utf-8").rstrip(), metadata=tags))
    nb.cells = cells


@cache
def exporter() -> HTMLExporter:
    return HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"handout.html.j2": TEMPLATE})],
        template_file="handout.html.j2",
        embed_images=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def to_html(nb: nbformat.NotebookNode, title: str, notebooks: Path, front: str = "") -> str:
    resources = {
        "metadata": {"name": title, "path": str(notebooks)},
        "handout_css": CSS,
        "handout_front": front,
    }
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return body


def banner(instructor: bool) -> str:
    if not instructor:
        return ""
    note = "<strong>Instructor edition</strong>: solutions shown below each exercise."
    return f'<div class="jp-RenderedHTMLCommon"><p class="handout-banner">{note}</p></div>'


def course_map(chapters: list[Page], workshop: Page | None, instructor: bool, pdf: bool) -> str:
    """The body of index.html: every chapter with its summary and minutes."""
    rows = []
    for page in chapters:
        minutes = sum(page.minutes) if page.minutes else ""
        rows.append(
            f'<tr><td><a class="chapter-link" href="{page.name}.html">{html.escape(page.title)}</a></td>'
            f'<td>{markdown2html(page.summary)}</td><td class="minutes">{minutes}</td></tr>'
        )
    total = sum(sum(page.minutes) for page in chapters if page.minutes)
    extras = []
    if workshop:
        extras.append(f'<a href="{WORKSHOP}.html">{html.escape(workshop.title)}</a>: schedules for a workshop')
    if pdf:
        extras.append('<a href="course.pdf">course.pdf</a>: the whole course, to print')
    return (
        f'<div class="jp-RenderedHTMLCommon"><h1>{COURSE}</h1>{banner(instructor)}'
        "<p>A hands-on course for the Python <code>eventsourcing</code> library, taught with a trivial bank. "
        "Each chapter is a notebook: these pages show it with its outputs.</p>"
        '<table class="course-map"><thead><tr><th>Chapter</th><th>What it is about</th>'
        f'<th class="minutes">Minutes</th></tr></thead><tbody>{"".join(rows)}</tbody>'
        f'<tfoot><tr><td>Total</td><td></td><td class="minutes">{total}</td></tr></tfoot></table>'
        f"<ul>{''.join(f'<li>{e}</li>' for e in extras)}</ul></div>"
    )


def link_pages(text: str) -> str:
    """Links between notebooks become links between the HTML pages."""
    return LINK.sub(lambda m: f'href="{m[1]}.html{m[2] or ""}"', text)


def link_sections(text: str) -> str:
    """Links between notebooks become links within the one printed document."""
    return LINK.sub(lambda m: f'href="#ch-{m[1]}"', text)


def split_main(page: str) -> tuple[str, str, str]:
    """(head, content, tail) of an exported page: the lab template puts the cells in <main>."""
    head, rest = page.split("<main>", 1)
    content, tail = rest.rsplit("</main>", 1)
    return head, content, tail


def printed_course(
    pages: list[Page], exported: dict[str, str], frame: str, instructor: bool, numbers: list[str]
) -> str:
    """The whole course as one HTML document to print: cover, contents, then every page.

    `exported` holds each page as exported; `frame` is a page whose head and tail to use.
    """
    edition = "Instructor edition, with solutions" if instructor else "Course handout"
    cover = f'<div class="cover jp-RenderedHTMLCommon"><h1>{COURSE}</h1><p>{edition}</p></div>'
    rows = "".join(
        f'<tr><td><a href="#ch-{page.name}">{html.escape(page.title)}</a></td>'
        f'<td class="num">{f"{sum(page.minutes)} min" if page.minutes else ""}</td>'
        f'<td class="num">{number}</td></tr>'
        for page, number in zip(pages, numbers, strict=True)
    )
    contents = (
        f'<div class="jp-RenderedHTMLCommon"><h2>Contents</h2>'
        f'<table class="toc"><tr><td></td><td class="num">Time</td><td class="num">Page</td></tr>{rows}</table></div>'
    )
    sections = "".join(
        f'<section class="chapter-start" id="ch-{page.name}">{split_main(exported[page.name])[1]}</section>'
        for page in pages
    )
    head, _, tail = split_main(frame)
    return link_sections(f"{head}<main>{cover}{contents}{sections}</main>{tail}")


def print_pdf(html_text: str, pdf: Path, chromium: str) -> None:
    """Print an HTML document to PDF with headless Chromium (headings become the PDF's outline)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "course.html"
        source.write_text(html_text, encoding="utf-8")
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
            f"--print-to-pdf={pdf}",
            source.as_uri(),
        ]
        pdf.unlink(missing_ok=True)
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        if result.returncode != 0 or not pdf.exists():
            raise HandoutError(f"Chromium could not print the PDF:\n{result.stderr[-2000:]}")


def start_pages(pdf: Path, pages: list[Page]) -> list[str]:
    """The page number on which each page's title is, from the PDF's outline."""
    from pypdf import PdfReader  # noqa: PLC0415 (needed only to number the contents)

    reader = PdfReader(pdf)

    def flat(outline):
        for item in outline:
            yield from flat(item) if isinstance(item, list) else [item]

    def key(title: str) -> str:
        # Chromium's outline may drop a space where a long heading wraps.
        return re.sub(r"\s+", "", plain(title.replace("¶", "")))

    headings = [(key(item.title), item) for item in flat(reader.outline)]
    numbers, position = [], 0
    for page in pages:
        found = next((i for i in range(position, len(headings)) if headings[i][0] == key(page.title)), None)
        if found is None:
            raise HandoutError(f"the PDF has no heading {page.title!r}")
        numbers.append(str(reader.get_destination_page_number(headings[found][1]) + 1))
        position = found + 1
    return numbers


def find_chromium() -> str | None:
    return next(filter(None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])), None)


def build(notebooks: Path, outdir: Path, instructor: bool = False, pdf: bool = True) -> list[Path]:
    """Write the handouts into `outdir`; returns the files written. Each file
    replaces the one before only once it is complete."""
    chapters, workshop = read_pages(notebooks, instructor)
    chromium = find_chromium() if pdf else None
    if pdf and not chromium:
        raise HandoutError("Chromium not found: install it (Debian: apt-get install chromium), or pass --no-pdf")
    pages = ([workshop] if workshop else []) + chapters
    outdir.mkdir(parents=True, exist_ok=True)
    exported = {page.name: to_html(page.notebook, page.title, notebooks, front=banner(instructor)) for page in pages}
    index = to_html(
        nbformat.v4.new_notebook(), COURSE, notebooks, front=course_map(chapters, workshop, instructor, pdf)
    )
    written = [outdir / "index.html"]
    write_file(written[0], index)
    for page in pages:
        written.append(outdir / f"{page.name}.html")
        write_file(written[-1], link_pages(exported[page.name]))
    if pdf:
        written.append(outdir / "course.pdf")
        with tempfile.TemporaryDirectory(dir=outdir) as tmp:
            draft = Path(tmp) / "course.pdf"
            # Printed twice: the first print tells on which page each chapter starts.
            numbers = [""] * len(pages)
            print_pdf(printed_course(pages, exported, index, instructor, numbers), draft, chromium)
            numbers = start_pages(draft, pages)
            print_pdf(printed_course(pages, exported, index, instructor, numbers), draft, chromium)
            draft.replace(written[-1])
    return written


def write_file(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file, so that `path` is
    never left half-written."""
    draft = path.with_name(f".{path.name}.tmp")
    draft.write_text(text, encoding="utf-8")
    draft.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course.handouts",
        description="Build workshop handouts from the executed notebooks: HTML pages, index.html and course.pdf.",
    )
    parser.add_argument("outdir", type=Path, help="folder to write the handouts into (created if missing)")
    parser.add_argument("--instructor", action="store_true", help="show each exercise's solution below it")
    parser.add_argument("--notebooks", type=Path, default=Path("notebooks"), help="default: %(default)s")
    parser.add_argument("--no-pdf", dest="pdf", action="store_false", help="HTML pages only (no Chromium needed)")
    args = parser.parse_args(argv)
    try:
        written = build(args.notebooks, args.outdir, instructor=args.instructor, pdf=args.pdf)
    except HandoutError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Wrote {len(written)} files to {args.outdir}: open {args.outdir / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
