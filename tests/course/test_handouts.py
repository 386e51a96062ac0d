"""`python -m course.handouts`: the handouts open in a real browser (headless
Chromium) with every chapter's title and plots and no unexpected errors; the
PDF has every chapter, its images, page numbers and a table of contents that
points to the right pages; only the instructor edition shows the solutions.

Each check runs on the real course (notebooks/) and on a small sample course
made here, which has what the real one may lack (an error shown on purpose).
"""

import base64
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from jupyter_client import KernelManager
from nbclient import NotebookClient
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from course.handouts import HandoutError, build, chapter_summaries, main

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
CHAPTERS = "[0-9][0-9]_*.ipynb"
LOAD = re.compile(r"^# %load (solutions/\S+\.py)$", re.M)
SAMPLE_SOLUTION = "answer = 6 * 7  # the sample solution"

SAMPLE_WORKSHOP = """# Workshop guide

| Chapter | Teaching | Exercises | Total |
| --- | --: | --: | --: |
| [00 · Sample index](00_index.ipynb) | 3 | 2 | 5 |
| [01 · Plots and errors](01_plots.ipynb) | 10 | 5 | 15 |
"""


def tagged(source: str, *tags: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})


def write_sample_course(folder: Path) -> Path:
    """Two executed chapters: an index, and one with a plot, an error shown on purpose,
    a warning on stderr and an exercise with its solution file."""
    md = nbformat.v4.new_markdown_cell
    index = [
        md("[Index](00_index.ipynb) · [01 · Plots →](01_plots.ipynb)\n\n# 00 · Sample index\n\nA tiny course."),
        tagged("print('ready')"),
    ]
    plots = [
        md("[← 00](00_index.ipynb) · [Index](00_index.ipynb)\n\n# 01 · Plots and errors\n\nPlots, errors, exercises."),
        tagged(
            "import matplotlib.pyplot as plt\n"
            "plt.plot([1, 2, 3], [2, 4, 8])\nplt.title('Doubling')\nplt.xlabel('step')\nplt.show()"
        ),
        tagged("1 / 0", "raises-exception"),
        tagged("import sys\nprint('only a warning', file=sys.stderr)"),
        md("## Try it\n\nSet `answer` to 42."),
        tagged("answer = None  # your code here\n# %load solutions/01_answer.py"),
        tagged("print('Correct, well done!' if answer == 42 else 'Not yet')"),
    ]
    (folder / "solutions").mkdir(parents=True)
    (folder / "solutions" / "01_answer.py").write_text(SAMPLE_SOLUTION + "\n")
    (folder / "workshop.md").write_text(SAMPLE_WORKSHOP)
    for name, cells in [("00_index", index), ("01_plots", plots)]:
        nb = nbformat.v4.new_notebook(cells=cells)
        kernel = KernelManager(kernel_name=CURRENT_ENV_KERNEL_NAME, kernel_spec_manager=NbvalKernelspecManager())
        NotebookClient(nb, km=kernel, timeout=60, resources={"metadata": {"path": str(folder)}}).execute()
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


@pytest.fixture(scope="module")
def sample_course(tmp_path_factory) -> Path:
    return write_sample_course(tmp_path_factory.mktemp("sample") / "notebooks")


@pytest.fixture(scope="module", params=["sample", "course"])
def notebooks(request, tmp_path_factory) -> Path:
    """The sample course, or a copy of the real one (what the handouts were built from)."""
    if request.param == "sample":
        return request.getfixturevalue("sample_course")
    return shutil.copytree(NOTEBOOKS, tmp_path_factory.mktemp("course") / "notebooks")


@pytest.fixture(scope="module")
def student(notebooks, tmp_path_factory) -> Path:
    """The learners' edition, HTML pages only."""
    outdir = tmp_path_factory.mktemp("student")
    build(notebooks, outdir, pdf=False)
    return outdir


@pytest.fixture(scope="module")
def printed(notebooks, chromium, tmp_path_factory) -> Path:
    """The learners' edition with its PDF, printed by Chromium."""
    outdir = tmp_path_factory.mktemp("printed")
    build(notebooks, outdir)
    return outdir


@pytest.fixture(scope="module")
def instructor(notebooks, tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("instructor")
    build(notebooks, outdir, instructor=True, pdf=False)
    return outdir


def chapters(notebooks: Path) -> list[tuple[Path, nbformat.NotebookNode, str]]:
    """(path, notebook, title) of every chapter, the title read from its first `# ` heading."""
    found = []
    for path in sorted(notebooks.glob(CHAPTERS)):
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
        title = re.sub(r"[`*_]", "", re.search(r"^# (.+)$", text, re.M)[1]).strip()
        found.append((path, nb, title))
    assert found, f"no chapters in {notebooks}"
    return found


def outputs(nb: nbformat.NotebookNode, kind: str) -> list[nbformat.NotebookNode]:
    """The notebook's outputs of one kind: 'image' (PNG or JPEG) or 'error'."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            image = kind == "image" and {"image/png", "image/jpeg"} & set(out.get("data", {}))
            if image or out.output_type == kind:
                found.append(out)
    return found


def full_page_png(browser) -> bytes:
    """A screenshot of the whole page, not only of the window."""
    size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "clip": clip})
    return base64.b64decode(shot["data"])


def open_page(browser, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")


def test_index_links_to_every_chapter_which_shows_its_title_plots_and_no_unexpected_errors(
    notebooks, student, browser, tmp_path
):
    index = (student / "index.html").as_uri()
    open_page(browser, index)
    links = browser.find_elements(By.CSS_SELECTOR, "a.chapter-link")
    expected = chapters(notebooks)
    assert [link.text for link in links] == [title for _, _, title in expected]
    minutes = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, ".course-map tbody td.minutes")]
    assert all(m.isdigit() and int(m) > 0 for m in minutes), f"every chapter has its minutes: {minutes}"
    screenshot = tmp_path / "index.png"
    screenshot.write_bytes(full_page_png(browser))
    print(f"Screenshot of the index: {screenshot}")

    for number, (path, nb, title) in enumerate(expected):
        open_page(browser, index)
        link = browser.find_elements(By.CSS_SELECTOR, "a.chapter-link")[number]
        target = link.get_attribute("href")
        link.click()
        WebDriverWait(browser, 20).until(
            lambda d, t=target: d.current_url == t and d.execute_script("return document.readyState") == "complete"
        )
        assert browser.title == title
        assert title in browser.find_element(By.TAG_NAME, "h1").text
        images = browser.execute_script(
            "return [...document.querySelectorAll('.jp-OutputArea-output img')]"
            ".map(img => img.complete ? img.naturalWidth : 0)"
        )
        assert len(images) == len(outputs(nb, "image")), f"{path.name}: every plot is on the page"
        assert all(width > 0 for width in images), f"{path.name}: every image loads"
        errors = browser.execute_script(
            "return [...document.querySelectorAll('.handout-error')]"
            ".map(e => Boolean(e.closest('.celltag_raises-exception')))"
        )
        assert len(errors) == len(outputs(nb, "error")), f"{path.name}: every error output is marked"
        assert all(errors), f"{path.name}: an error output outside a cell tagged raises-exception"


def test_workshop_page_is_in_the_handouts_with_links_to_the_chapter_pages(student, browser):
    open_page(browser, (student / "index.html").as_uri())
    browser.find_element(By.LINK_TEXT, "Workshop guide").click()
    WebDriverWait(browser, 20).until(lambda d: d.title == "Workshop guide")
    targets = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "td a")]
    assert targets
    assert all(t.endswith(".html") for t in targets), targets


def code_cells(browser, page: Path) -> list[str]:
    open_page(browser, page.as_uri())
    return browser.execute_script(
        "return [...document.querySelectorAll('.jp-CodeCell .jp-InputArea pre')].map(pre => pre.innerText.trim())"
    )


def test_only_the_instructor_edition_shows_each_solution_below_its_exercise(notebooks, student, instructor, browser):
    shown = 0
    for path, nb, _ in chapters(notebooks):
        solutions = [(notebooks / name).read_text().strip() for cell in nb.cells for name in LOAD.findall(cell.source)]
        student_code = code_cells(browser, student / f"{path.stem}.html")
        instructor_code = code_cells(browser, instructor / f"{path.stem}.html")
        for solution in solutions:
            assert solution not in student_code
            assert solution in instructor_code
            shown += 1
    assert shown == len(list((notebooks / "solutions").glob("*.py")))


def test_pages_load_nothing_from_the_web(student):
    for page in student.glob("*.html"):
        assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)=\"(https?:)?//", page.read_text()), page.name


def pdf_text(page) -> str:
    return " ".join(page.extract_text().split())


def test_pdf_has_contents_with_the_page_of_every_chapter_page_numbers_and_images(notebooks, printed):
    reader = PdfReader(printed / "course.pdf")
    texts = [pdf_text(page) for page in reader.pages]
    expected = chapters(notebooks)
    assert len(texts) >= len(expected)
    for number, text in enumerate(texts[1:], 2):
        assert f"{number} / {len(texts)}" in text, f"page {number} shows its number"
    contents = next(text for text in texts if "Contents Time Page" in text)
    for _, _, title in expected:
        page = int(re.search(re.escape(title) + r" (?:\d+ min )?(\d+)", contents)[1])
        assert title in texts[page - 1], f"contents: {title!r} on page {page}"
    images = sum(len(page.images) for page in reader.pages)
    assert images >= sum(len(outputs(nb, "image")) for _, nb, _ in expected)


def test_a_chapter_showing_an_error_not_tagged_raises_exception_is_refused(sample_course, tmp_path):
    course = shutil.copytree(sample_course, tmp_path / "notebooks")
    nb = nbformat.read(course / "01_plots.ipynb", as_version=4)
    error_cell = next(cell for cell in nb.cells if outputs(nbformat.v4.new_notebook(cells=[cell]), "error"))
    error_cell.metadata["tags"] = []
    nbformat.write(nb, course / "01_plots.ipynb")
    with pytest.raises(HandoutError, match=r"01_plots\.ipynb: cell 3 shows ZeroDivisionError"):
        build(course, tmp_path / "out", pdf=False)


def test_command_line_writes_the_pages_or_explains_what_is_wrong(sample_course, tmp_path, capsys):
    assert main([str(tmp_path / "out"), "--notebooks", str(sample_course), "--no-pdf"]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "00_index.html",
        "01_plots.html",
        "index.html",
        "workshop.html",
    ]
    assert main([str(tmp_path / "out"), "--notebooks", str(tmp_path / "nowhere")]) == 1
    assert "no chapter notebooks" in capsys.readouterr().err


def test_course_map_describes_each_chapter_with_the_index_line():
    summaries = chapter_summaries(NOTEBOOKS)
    assert sorted(summaries) == sorted(path.stem for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert summaries["07_scaling_out"].startswith("Run the ledger as its own process")
