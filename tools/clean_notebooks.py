"""Clean executed notebooks before they are committed: drop per-cell run
timings, join a cell's consecutive pieces of printed text, show paths in tracebacks relative to the checkout or to
site-packages, so no machine's folders end up in the course, and write the
kernelspec JupyterLab 4 writes, so that opening a notebook changes nothing.

Usage: python tools/clean_notebooks.py [--check] [NOTEBOOK ...]   (default: notebooks/*.ipynb)
--check changes nothing and exits 1 if a notebook is not clean.
"""

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SITE_PACKAGES = re.compile(r"/[^\s\"'\x1b]*/site-packages/")
CHECKOUT = re.compile(re.escape(str(ROOT)) + r"/|(?<![\w.])/[^\s\"'\x1b]*?/(?=(bank|course)/[\w/]+\.py)")


def clean_path(text: str) -> str:
    return CHECKOUT.sub("", SITE_PACKAGES.sub("site-packages/", text))


KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata.pop("widgets", None)  # widget state: different on every run, and it would load scripts from the web
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        if "outputs" in cell:
            cell["outputs"] = joined_streams(cell["outputs"])
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [clean_path(line) for line in output["traceback"]]
    return nb


def joined_streams(outputs: list) -> list:
    """One stream output where the kernel sent a cell's text in several pieces
    (how it splits depends on timing, so it differs from run to run)."""
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            output.get("output_type") == "stream"
            and previous
            and previous.get("output_type") == "stream"
            and previous["name"] == output["name"]
        ):
            previous["text"] += output["text"]
        else:
            joined.append(output)
    return joined


def dump(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    dirty = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        cleaned = dump(clean(nbformat.reads(text, as_version=4)))
        if cleaned != text:
            dirty.append(path)
            if not check:
                path.write_text(cleaned, encoding="utf-8")
    for path in dirty:
        print(f"{'not clean' if check else 'cleaned'}: {path.name}")
    return 1 if check and dirty else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
