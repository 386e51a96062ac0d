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


def test_demo_tells_the_story_in_order():
    result = demo()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    steps = ["Opened an account for Alice", "Alice deposits 100.00", "transfers 25.50 to Bob", "Bob withdraws 60.00"]
    steps += ["is refused", "A refused command records nothing", "Owner", "The ledger", "The transaction log"]
    positions = [out.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "Traceback" not in out + result.stderr


def test_the_refusal_says_why_with_the_limit():
    out = demo().stdout
    refusal = next(line for line in out.splitlines() if "is refused" in line)
    assert "balance -34.50" in refusal
    assert "overdraft limit 50.00" in refusal


def test_balances_are_a_table_with_one_header_line():
    lines = demo().stdout.splitlines()
    header = lines.index("Owner      Balance  Overdraft limit")
    assert lines[header + 1].split() == ["Alice", "74.50", "0.00"]
    assert lines[header + 2].split() == ["Bob", "-34.50", "50.00"]
    assert "The ledger: balance 40.00, 4 transactions." in lines


def test_the_log_lists_this_runs_events_in_order():
    lines = demo().stdout.splitlines()
    start = lines.index("Position  Owner  Version  Kind        Amount") + 1
    rows = [line.split() for line in lines[start:]]
    assert [row[3] for row in rows] == ["opened", "opened", "credited", "debited", "credited", "debited"]
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5", "6"]


def test_demo_on_sqlite_remembers_earlier_runs(tmp_path):
    folder = str(tmp_path / "bank")
    first = demo("--sqlite", folder)
    second = demo("--sqlite", folder)
    assert first.returncode == second.returncode == 0, second.stderr
    assert "earlier runs" not in first.stdout
    assert second.stdout.startswith("The database holds 2 accounts from earlier runs.")
    assert "The ledger: balance 80.00, 8 transactions." in second.stdout


def test_demo_reports_a_bad_folder_in_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = demo("--sqlite", str(blocker / "sub"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot use ")
    assert result.stderr.rstrip().endswith("as the SQLite folder: Not a directory")
    assert len(result.stderr.splitlines()) == 1


def test_demo_reports_a_corrupt_database_in_one_line(tmp_path):
    (tmp_path / "ledgerservice.sqlite").write_text("not a database")
    result = demo("--sqlite", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith("error: file is not a database (in the SQLite folder ")
    assert len(result.stderr.splitlines()) == 1
