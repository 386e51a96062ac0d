"""Every notebook is committed clean: executed once top to bottom in the
python3 kernel, errors only where tagged, no run timings, no machine paths."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MACHINE_PATH = re.compile(r"(?<![\w.])/(tmp|home|root|work|private/var|var/folders|Users)/")


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 6


def test_notebooks_are_clean():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "clean_notebooks.py"), "--check"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"run tools/clean_notebooks.py:\n{result.stdout}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_was_run_once_top_to_bottom_with_errors_only_where_tagged(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.cells[0].cell_type == "markdown"
    assert re.search(r"^# ", nb.cells[0].source, re.M), "the first cell holds the '# ' title"
    code = [cell for cell in nb.cells if cell.cell_type == "code" and cell.source.strip()]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    for cell in code:
        errors = [out for out in cell.outputs if out.output_type == "error"]
        tagged = "raises-exception" in cell.metadata.get("tags", [])
        assert bool(errors) == tagged, f"cell {cell.execution_count}: error output must match its raises-exception tag"
        for out in cell.outputs:
            text = (
                str(out.get("text", ""))
                + str(out.get("data", {}).get("text/plain", ""))
                + str(out.get("traceback", ""))
            )
            assert not MACHINE_PATH.search(text), f"cell {cell.execution_count} shows a machine path"
