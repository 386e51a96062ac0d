"""`python -m bank`: the demo a new user runs first."""

import subprocess
import sys


def demo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bank", *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_help_describes_the_demo():
    result = demo("--help")
    assert result.returncode == 0
    assert "--sqlite FOLDER" in result.stdout


def test_demo_shows_balances_ledger_refusal_and_history():
    result = demo()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Refused, as it should be: InsufficientFundsError" in out
    assert "Traceback" not in out + result.stderr
    assert "Alice         44.50" in out
    assert "Bob          -34.50" in out
    assert "Ledger balance 10.00 after 5 transactions" in out
    assert "Credited  100.00  100.00" in out


def test_demo_on_sqlite_remembers_earlier_runs(tmp_path):
    folder = str(tmp_path / "bank")
    first = demo("--sqlite", folder)
    second = demo("--sqlite", folder)
    assert first.returncode == second.returncode == 0, second.stderr
    assert "Found" not in first.stdout
    assert "Found 2 accounts recorded by earlier runs." in second.stdout
    assert "Ledger balance 20.00 after 10 transactions" in second.stdout


def test_demo_reports_a_bad_folder_without_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = demo("--sqlite", str(blocker / "sub"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot create the SQLite folder")
    assert len(result.stderr.splitlines()) == 1
