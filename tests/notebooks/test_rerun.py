"""Every chapter runs the way learners run it, with each exercise solved by its
solution file: in one kernel, each code cell twice in a row (Shift+Enter
twice), top to bottom, then every cell once more (Run All again, without a
restart).

No run of a cell may hang, raise an error with an empty message, or raise
anything but a domain error (a `BankError` with a message) unless it is
tagged `raises-exception`; a tagged cell must raise every time, the same
error; every self-check must say "Correct, well done!" every time.
"Cell N" is `nb.cells[N]`, counted from 0 over all cells.
"""

import importlib
import pkgutil
import re
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from jupyter_client import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_code_cell, new_notebook
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

import bank
from bank.errors import BankError
from course.exercises import PASSED

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
CHAPTERS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
LOAD = re.compile(r"^# %load (solutions/\S+\.py)$", re.M)
SELF_CHECK = re.compile(r"\bcheck\(")
CELL_TIMEOUT = 60  # seconds: longer means the cell hangs
RUNS = ("1st run", "2nd run (Shift+Enter again)", "3rd run (Run All again)")


def bank_errors() -> set[str]:
    """The names of `BankError` and its subclasses, wherever `bank` defines them."""
    for module in pkgutil.walk_packages(bank.__path__, "bank."):
        if module.name != "bank.__main__":
            try:
                importlib.import_module(module.name)
            except ImportError:  # an optional dependency (the postgres extra)
                continue
    names, todo = set(), [BankError]
    while todo:
        error = todo.pop()
        names.add(error.__name__)
        todo += [sub for sub in error.__subclasses__() if sub.__module__.split(".")[0] == "bank"]
    return names


BANK_ERRORS = bank_errors()


def exercises(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [m for cell in nb.cells if cell.cell_type == "code" for m in LOAD.findall(cell.source)]


def read_solved(path: Path) -> nbformat.NotebookNode:
    """The notebook with each exercise cell replaced by the solution it loads."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        match = cell.cell_type == "code" and LOAD.search(cell.source)
        if match:
            cell.source = (path.parent / match[1]).read_text()
    return nb


@contextmanager
def kernel(nb: nbformat.NotebookNode, folder: Path, timeout: int = CELL_TIMEOUT):
    """A client for `nb` on a fresh kernel of this environment (as nbval's
    --nbval-current-env uses), started in `folder`, shut down at the end.
    Errors are kept in the cells' outputs rather than raised."""
    manager = AsyncKernelManager(kernel_name=CURRENT_ENV_KERNEL_NAME, kernel_spec_manager=NbvalKernelspecManager())
    client = NotebookClient(
        nb, km=manager, timeout=timeout, allow_errors=True, resources={"metadata": {"path": str(folder)}}
    )
    with client.setup_kernel(cleanup_kc=True):  # (by default, a kernel passed in is left running)
        yield client


def run_like_a_learner(path: Path, timeout: int = CELL_TIMEOUT) -> list[str]:
    """Each problem, as "<notebook> cell N, <which run>: <what went wrong>"."""
    nb = read_solved(path)
    cells = [(number, cell) for number, cell in enumerate(nb.cells) if cell.cell_type == "code" and cell.source.strip()]
    runs = [(number, cell, run) for number, cell in cells for run in (0, 1)]
    runs += [(number, cell, 2) for number, cell in cells]
    problems, first_errors = [], {}
    with kernel(nb, path.parent, timeout) as client:
        for number, cell, run in runs:
            where = f"{path.name} cell {number}, {RUNS[run]}"
            try:
                client.execute_cell(cell, number)
            except CellTimeoutError:
                problems.append(f"{where}: still running after {timeout} s (a hang?)")
                client.shutdown_kernel = "immediate"
                break
            except DeadKernelError:
                problems.append(f"{where}: the kernel died")
                break
            first_error = first_errors.setdefault(number, error_of(cell))
            problems += [f"{where}: {problem}" for problem in judge(cell, first_error)]
    return problems


def error_of(cell: nbformat.NotebookNode) -> tuple[str, str] | None:
    """The name and the message (its first line) of the error the cell raised, if any."""
    for output in cell.outputs:
        if output.output_type == "error":
            return output.ename, output.evalue.strip().split("\n")[0]
    return None


def judge(cell: nbformat.NotebookNode, first_error: tuple[str, str] | None) -> list[str]:
    """What went wrong in the cell's latest run."""
    error = error_of(cell)
    tagged = "raises-exception" in cell.metadata.get("tags", [])
    if error:
        ename, message = error
        if not message:
            return [f"{ename}, with an empty message"]
        if tagged and first_error and ename != first_error[0]:
            return [f"tagged raises-exception, raised {ename}: {message} (the 1st run raised {': '.join(first_error)})"]
        if not tagged and ename not in BANK_ERRORS:
            return [f"{ename}: {message}"]
    elif tagged:
        return ["tagged raises-exception, but raised nothing"]
    printed = "".join(out.get("text", "") for out in cell.outputs if out.get("name") == "stdout")
    verdict = printed.strip().split("\n")[0] or "nothing"
    if SELF_CHECK.search(cell.source) and PASSED not in printed:
        return [f"the self-check said {verdict!r}"]
    return []


# The test itself, on a throwaway notebook with one cell per kind of failure.

FAULTY = [  # (source, tags), cells 0 to 13
    ("print('fine')", []),
    ("{}['missing']", []),
    ("raise RuntimeError()", []),
    ("runs = globals().get('runs', 0) + 1\nif runs > 1:\n    raise RuntimeError('second run')", []),
    ("from bank.errors import InsufficientFundsError\nraise InsufficientFundsError('no money')", []),
    ("from bank.errors import InsufficientFundsError\nraise InsufficientFundsError()", []),
    ("raise ValueError('shown on purpose')", ["raises-exception"]),
    ("shown = globals().get('shown', 0) + 1\nif shown == 1:\n    raise ValueError('only once')", ["raises-exception"]),
    ("kind = globals().get('kind', 0) + 1\nraise [ValueError, KeyError][kind > 1]('changed')", ["raises-exception"]),
    ("answer = None  # your code here\n\n# %load solutions/answer.py", []),  # the solution: answer = 42
    ("from course.exercises import check\n\ncheck(lambda: answer == 42)", []),
    ("checked = globals().get('checked', 0) + 1\ncheck(lambda: checked == 1)", []),
    ("raise ValueError()", ["raises-exception"]),
    ("import time\n\nslow = globals().get('slow', 0) + 1\nif slow == 3:\n    time.sleep(30)", []),
]


@pytest.fixture(scope="module")
def faulty_problems(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("faulty")
    (folder / "solutions").mkdir()
    (folder / "solutions" / "answer.py").write_text("answer = 42\n")
    nb = new_notebook(cells=[new_code_cell(source, metadata={"tags": tags}) for source, tags in FAULTY])
    nbformat.write(nb, folder / "faulty.ipynb")
    return run_like_a_learner(folder / "faulty.ipynb", timeout=5)


def test_a_clean_notebook_passes(tmp_path):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "answer.py").write_text("answer = 42\n")
    sources = [
        "from bank.errors import AccountClosedError\n\nclosed = globals().get('closed', False)\nif closed:\n"
        "    raise AccountClosedError('account 1 is closed')\nclosed = True",
        "raise ValueError('shown on purpose')",
        "answer = None  # your code here\n\n# %load solutions/answer.py",
        "from course.exercises import check\n\ncheck(lambda: answer == 42)",
    ]
    cells = [new_code_cell(source) for source in sources]
    cells[1].metadata["tags"] = ["raises-exception"]
    nbformat.write(new_notebook(cells=cells), tmp_path / "clean.ipynb")
    assert run_like_a_learner(tmp_path / "clean.ipynb") == []


def test_an_error_that_is_no_domain_error_fails(faulty_problems):
    assert "faulty.ipynb cell 1, 1st run: KeyError: 'missing'" in faulty_problems


def test_an_error_with_an_empty_message_fails(faulty_problems):
    assert "faulty.ipynb cell 2, 1st run: RuntimeError, with an empty message" in faulty_problems


def test_an_error_on_the_second_run_fails(faulty_problems):
    assert "faulty.ipynb cell 3, 2nd run (Shift+Enter again): RuntimeError: second run" in faulty_problems


def test_a_domain_error_with_a_message_is_fine_but_not_without_one(faulty_problems):
    assert not [problem for problem in faulty_problems if "cell 4," in problem]
    assert "faulty.ipynb cell 5, 1st run: InsufficientFundsError, with an empty message" in faulty_problems


def test_a_cell_tagged_raises_exception_must_raise_every_time(faulty_problems):
    assert not [problem for problem in faulty_problems if "cell 6," in problem]
    assert "faulty.ipynb cell 7, 2nd run (Shift+Enter again): tagged raises-exception, but raised nothing" in (
        faulty_problems
    )


def test_a_cell_tagged_raises_exception_must_raise_with_a_message(faulty_problems):
    assert "faulty.ipynb cell 12, 1st run: ValueError, with an empty message" in faulty_problems


def test_a_cell_tagged_raises_exception_must_raise_the_same_error_every_time(faulty_problems):
    assert (
        "faulty.ipynb cell 8, 2nd run (Shift+Enter again): tagged raises-exception, raised KeyError: 'changed' "
        "(the 1st run raised ValueError: changed)"
    ) in faulty_problems


def test_an_exercise_is_run_with_its_solution(faulty_problems):
    assert not [problem for problem in faulty_problems if "cell 9," in problem or "cell 10," in problem]


def test_a_self_check_that_does_not_pass_every_time_fails(faulty_problems):
    assert not [problem for problem in faulty_problems if "cell 11, 1st run" in problem]
    assert (
        "faulty.ipynb cell 11, 2nd run (Shift+Enter again): the self-check said "
        "'Not yet: checked == 1 is false: checked is 2'"
    ) in faulty_problems


def test_a_hang_fails(faulty_problems):
    assert faulty_problems[-1] == "faulty.ipynb cell 13, 3rd run (Run All again): still running after 5 s (a hang?)"


# The chapters.


def test_every_solution_file_is_loaded_by_exactly_one_exercise():
    loaded = [name for path in sorted(NOTEBOOKS.glob("*.ipynb")) for name in exercises(path)]
    files = sorted(f"solutions/{p.name}" for p in (NOTEBOOKS / "solutions").glob("*.py"))
    assert sorted(loaded) == files


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_exercise_is_followed_by_its_self_check(path):
    code = [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    unchecked = [
        source
        for source, after in zip(code, [*code[1:], ""], strict=True)
        if LOAD.search(source) and not SELF_CHECK.search(after)
    ]
    assert not unchecked


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_cell_runs_twice_in_a_row_and_again_after_run_all(path):
    problems = run_like_a_learner(path)
    assert not problems, "\n".join(problems)
