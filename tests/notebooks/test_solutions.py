"""Every exercise solution, run in its notebook in place of the exercise,
passes the notebook's self-check; and every solution file is used."""

import re
from pathlib import Path

import nbformat
import pytest
from jupyter_client import KernelManager
from nbclient import NotebookClient
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

from course.exercises import PASSED

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
LOAD = re.compile(r"^# %load (solutions/\S+\.py)$", re.M)


def exercises(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [m for cell in nb.cells if cell.cell_type == "code" for m in LOAD.findall(cell.source)]


NOTEBOOKS_WITH_EXERCISES = [p for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if exercises(p)]


def test_every_solution_file_is_loaded_by_exactly_one_exercise():
    loaded = [name for path in sorted(NOTEBOOKS.glob("*.ipynb")) for name in exercises(path)]
    files = sorted(f"solutions/{p.name}" for p in (NOTEBOOKS / "solutions").glob("*.py"))
    assert sorted(loaded) == files


@pytest.mark.parametrize("path", NOTEBOOKS_WITH_EXERCISES, ids=lambda p: p.stem)
def test_solutions_pass_their_self_checks(path):
    nb = nbformat.read(path, as_version=4)
    solved = 0
    for cell in nb.cells:
        match = cell.cell_type == "code" and LOAD.search(cell.source)
        if match:
            cell.source = (NOTEBOOKS / match[1]).read_text()
            solved += 1
    # The kernel of this environment, as nbval's --nbval-current-env uses.
    kernel = KernelManager(kernel_name=CURRENT_ENV_KERNEL_NAME, kernel_spec_manager=NbvalKernelspecManager())
    NotebookClient(nb, km=kernel, timeout=120, resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    # One verdict per self-check cell (a print may arrive in several stream chunks).
    verdicts = [
        "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
        for cell in nb.cells
        if cell.cell_type == "code" and "check(" in cell.source
    ]
    assert len(verdicts) >= solved
    assert all(PASSED in v for v in verdicts), verdicts
