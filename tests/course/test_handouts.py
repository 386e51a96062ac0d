"""The handouts, built with the README's own commands ("Workshop handouts"): the
book's learners' and instructor's editions, walked through in headless
Chromium, and its PDF read back with pdftotext and pypdf.

Each edition is built once per session (about 10 s each; the PDF, from the
learners' build, about 25 s more)."""

import html
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
LOAD = re.compile(r"^# %load (solutions/\S+\.py)$", re.M)
CHECK = re.compile(r"^check\(", re.M)


def toc() -> list[tuple[str, str]]:
    """(file, title) of every page in _toc.yml, in order: the index, the chapters, the workshop guide."""
    data = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [(data["root"], data["title"]), *((item["file"], item["title"]) for item in data["chapters"])]


def source(file: str) -> Path:
    return next(path for path in [ROOT / f"{file}.ipynb", ROOT / f"{file}.md"] if path.exists())


def headings(file: str, marks: str = "#{1,6}") -> list[str]:
    """The page's headings as the book shows them (no Markdown marks), code blocks left out."""
    path = source(file)
    if path.suffix == ".md":
        text = path.read_text()
    else:
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    return [re.sub(r"[`*]", "", title) for title in re.findall(rf"^{marks} (.+?)\s*$", text, re.M)]


def chapters() -> list[tuple[str, nbformat.NotebookNode]]:
    return [(file, nbformat.read(source(file), as_version=4)) for file, _ in toc() if source(file).suffix == ".ipynb"]


def readme_command(start: str) -> str:
    """The line of the README's "Workshop handouts" commands that starts with `start`."""
    readme = (ROOT / "README.md").read_text()
    section = re.search(r"^## Workshop handouts\n(.*?)(?=^## )", readme, re.M | re.S)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)[1]
    (line,) = [line for line in block.splitlines() if line.startswith(start)]
    return line


def run_readme_command(start: str, outdir: Path) -> str:
    """Run a README command as written, its folder under handouts/ moved to `outdir`; returns what it printed."""
    command = re.sub(r"\bhandouts/\w+", shlex.quote(str(outdir)), readme_command(start))
    env = {key: value for key, value in os.environ.items() if key != "HANDOUTS_EDITION"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # this environment's jupyter-book
    result = subprocess.run(command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout + result.stderr


def page_text(path: Path) -> str:
    """A file's text, an HTML page's without its tags."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return html.unescape(re.sub(r"<[^>]+>", "", text)) if path.suffix == ".html" else text


@pytest.fixture(scope="session")
def student_build(tmp_path_factory) -> tuple[Path, str]:
    """The README's first command: the learners' edition, and what the build printed."""
    outdir = tmp_path_factory.mktemp("student")
    return outdir, run_readme_command("jupyter-book build", outdir)


@pytest.fixture(scope="session")
def student(student_build) -> Path:
    return student_build[0] / "_build" / "html"


@pytest.fixture(scope="session")
def instructor(tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("instructor")
    run_readme_command("HANDOUTS_EDITION=instructor jupyter-book build", outdir)
    return outdir / "_build" / "html"


@pytest.fixture(scope="session")
def pdftotext() -> str:
    """Poppler's pdftotext: skipped with the reason where it is missing, except under CI."""
    path = shutil.which("pdftotext")
    if not path:
        reason = "no pdftotext: the PDF's tests read it back with it (Debian: apt-get install poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def pdf(student_build, chromium, pdftotext) -> tuple[PdfReader, list[str]]:
    """The README's PDF command, from the learners' build: the PDF, and each page's text (pdftotext -layout)."""
    outdir = student_build[0]
    run_readme_command("python -m course.handouts", outdir)
    printed = outdir / "course.pdf"
    text = subprocess.run([pdftotext, "-layout", printed, "-"], capture_output=True, text=True, check=True).stdout
    return PdfReader(printed), text.split("\f")[:-1]


def test_the_student_site_has_an_index_search_and_a_page_per_chapter(student):
    assert (student / "index.html").is_file()
    assert (student / "search.html").is_file()
    assert [file for file, _ in toc() if not (student / f"{file}.html").is_file()] == []
    assert len(toc()) == 19  # the index, chapters 01-17 and the workshop guide


def test_the_book_builds_without_a_warning(student_build):
    assert "build succeeded" in student_build[1]
    assert "WARNING" not in student_build[1]


def distinctive_lines(solution: Path) -> list[str]:
    """The solution's lines of 20 characters or more that the notebooks do not show (in code, prose or output)."""
    shown = [path.read_text() for path in NOTEBOOKS.glob("*.md")]
    for path in NOTEBOOKS.glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            shown.append(cell.source)
            for out in cell.get("outputs", []):
                shown += [out.get("text", ""), *map(str, out.get("data", {}).values())]
    course = "\n".join(shown)
    course += course.replace("`", "")  # and as Markdown shows it
    lines = [line.strip() for line in solution.read_text().splitlines()]
    return [line for line in lines if len(line) >= 20 and line not in course]


def test_only_the_instructor_site_shows_the_solutions_each_below_its_exercise(student, instructor):
    files = [path for path in student.rglob("*") if path.suffix in {".html", ".js", ".ipynb"}]
    student_text = "\n".join(map(page_text, files))
    assert "Instructor edition" not in student_text
    assert "Instructor edition" in page_text(instructor / f"{toc()[0][0]}.html")
    shown = 0
    for file, nb in chapters():
        chapter = page_text(instructor / f"{file}.html")
        for name in [name for cell in nb.cells for name in LOAD.findall(cell.source)]:
            lines = distinctive_lines(NOTEBOOKS / name)
            assert lines, f"{name}: no line of its own to look for"
            assert [line for line in lines if line in student_text] == [], f"{name} in the learners' edition"
            exercise = chapter.index(f"# %load {name}")
            below = chapter[exercise : chapter.index("\ncheck(", exercise)]  # up to the exercise's self-check
            assert [line for line in lines if line not in below] == [], f"{file}.html: {name} below its exercise"
            shown += 1
    assert shown == len(list((NOTEBOOKS / "solutions").glob("*.py")))


def test_self_checks_show_their_code_but_not_their_output_in_both_editions(student, instructor):
    checks = 0
    for file, nb in chapters():
        pages = [page_text(site / f"{file}.html") for site in (student, instructor)]
        for cell in nb.cells:
            if cell.cell_type == "code" and CHECK.search(cell.source):
                call = next(line for line in cell.source.splitlines() if CHECK.match(line))
                said = "".join(out.get("text", "") for out in cell.outputs).strip()
                assert said.startswith("Not yet"), f"{file}: the committed self-check says {said!r}"
                for page in pages:
                    assert call in page
                    assert said not in page
                checks += 1
    assert checks >= 40


def open_page(browser, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")


def follow(browser, link: str, file: str) -> None:
    """Click the page's "next" or "previous" link, and wait for `file`'s page."""
    browser.find_element(By.CSS_SELECTOR, link).click()
    WebDriverWait(browser, 20).until(lambda d: d.current_url.endswith(f"/{file}.html"))
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")


def check_page(browser, number: int, file: str, title: str) -> None:
    """The page is the chapter's: its heading is the page's title, and the sidebar
    marks it by its title in _toc.yml (the home page by its heading)."""
    heading = headings(file, "#")[0]
    assert browser.title.startswith(f"{heading} — "), (file, browser.title)
    current = browser.find_element(By.CSS_SELECTOR, ".bd-sidenav li.current.active > a").text
    assert current == (heading if number == 0 else title)


def test_next_and_previous_lead_through_every_chapter_in_the_tocs_order(student, browser):
    pages = toc()
    open_page(browser, (student / "index.html").as_uri())
    WebDriverWait(browser, 20).until(lambda d: d.current_url.endswith(f"/{pages[0][0]}.html"))
    for number, (file, title) in enumerate(pages):
        if number:
            follow(browser, "a.right-next", file)
        check_page(browser, number, file, title)
    assert browser.find_elements(By.CSS_SELECTOR, "a.right-next") == [], "the last page has no next"
    for number, (file, title) in reversed(list(enumerate(pages))[:-1]):
        follow(browser, "a.left-prev", file)
        check_page(browser, number, file, title)


def test_search_finds_a_chapter_by_a_word_in_it(student, browser):
    open_page(browser, (student / "search.html").as_uri() + "?q=sawtooth")
    found = WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li a"))
    assert any(link.get_attribute("href").endswith("/notebooks/05_snapshots.html") for link in found)


def test_the_pdf_prints_code_lines_whole(pdf):
    """At least 97% of the chapters' code lines of 20 characters or more are on one
    line of the PDF's text (whitespace aside): none wraps back to the margin."""
    lines = {" ".join(line.split()) for page in pdf[1] for line in page.splitlines()}
    code = [
        " ".join(line.split())
        for _, nb in chapters()
        for cell in nb.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if len(line.strip()) >= 20
    ]
    whole = [line for line in code if any(line in printed for printed in lines)]
    print(f"code lines printed whole: {len(whole)} of {len(code)} ({len(whole) / len(code):.1%})")
    assert len(code) > 1000
    assert len(whole) >= 0.97 * len(code)


def test_printed_output_never_breaks_inside_a_word(pdf):
    """Every line of text the chapters print (self-checks aside) is in the PDF
    with its words whole: a line may wrap only between words."""
    body = "\n".join(re.sub(r"\n\s*\d+ / \d+\s*$", "", page) for page in pdf[1])  # without the page numbers
    printed = " " + " ".join(re.findall(r"\w+", body)) + " "
    lines = [
        " ".join(words)
        for _, nb in chapters()
        for cell in nb.cells
        if cell.cell_type == "code" and not CHECK.search(cell.source)
        for out in cell.outputs
        if out.output_type == "stream"
        for line in out.text.splitlines()
        if (words := re.findall(r"\w+", line))
    ]
    assert len(lines) > 500  # enough printed lines for the check to mean something
    assert [line for line in lines if f" {line} " not in printed] == []


def bookmarks(outline) -> list[str]:
    return [title for item in outline for title in (bookmarks(item) if isinstance(item, list) else [item.title])]


def test_every_pdf_bookmark_is_a_chapter_or_section_title(pdf):
    titles = {"Contents"} | {title for file, _ in toc() for title in headings(file)}
    marks = bookmarks(pdf[0].outline)
    assert [mark for mark in marks if mark not in titles] == []
    assert {headings(file, "#")[0] for file, _ in toc()} <= set(marks), "every chapter has its bookmark"


def test_the_pdf_has_page_numbers_and_a_contents_page_with_each_chapters_page(pdf):
    pages = pdf[1]
    assert len(pages) == len(pdf[0].pages) > 100
    for number, page in enumerate(pages, 1):
        assert re.search(rf"\n\s*{number} / {len(pages)}\s*$", page), f"page {number} shows its number"
    contents = pages[0]
    assert "Contents" in contents
    for file, title in toc()[1:]:
        number = int(re.search(rf"^\s*{re.escape(title)}\s+(\d+)$", contents, re.M)[1])
        assert headings(file, "#")[0] in " ".join(pages[number - 1].split()), f"{title} starts on page {number}"
