"""The benchmark runs end to end (a quick run, no timing assertions), its
measurement functions report what they measured, its baseline is the
original example's design, and its command line fails and stops cleanly."""

import csv
import os
import re
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from eventsourcing.system import SingleThreadedRunner

from bank import Ledger, LedgerService, persistence_env
from course.bench import (
    BASELINE,
    BASELINE_DESIGN,
    RECORDINGS_PER_TRANSACTION,
    BaselineBank,
    check_targets,
    growth_finding,
    main,
    measure_reconstruction,
    replacing,
    throughput_finding,
)

ROOT = Path(__file__).parents[2]
BACKENDS = ("memory", "sqlite", "postgres")

COLUMNS = {
    "reconstruction.csv": ["backend", "variant", "events", "seconds", "replayed"],
    "throughput.csv": ["backend", "bank", "runner", "transactions", "tx_per_s", "raw_saves_per_s", "ratio_to_raw"],
    "growth.csv": ["backend", "bank", "dimension", "size", "tx_per_s", "memory_mb"],
}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory, postgres_url):
    outdir = tmp_path_factory.mktemp("bench")
    status = main([str(outdir), "--quick", "--postgres-url", postgres_url])
    return outdir, status


def test_quick_run_writes_csv_files_with_their_columns(quick_run):
    outdir, _ = quick_run
    for name, columns in COLUMNS.items():
        with (outdir / name).open() as file:
            rows = list(csv.DictReader(file))
        assert list(rows[0]) == columns
        assert {row["backend"] for row in rows} == {"memory", "sqlite", "postgres"}


def test_quick_run_writes_plots_and_a_report_with_a_verdict_per_target(quick_run):
    outdir, status = quick_run
    for name in ("reconstruction.png", "throughput.png", "growth.png"):
        assert (outdir / name).read_bytes().startswith(b"\x89PNG")
    report = (outdir / "report.md").read_text()
    verdicts = [line for line in report.splitlines() if line.startswith(("- PASS", "- FAIL"))]
    # flat reads on sqlite and postgres, snapshot speed-up on all three, throughput on memory and sqlite,
    # and EventSourcedBank against the original design in memory
    assert len(verdicts) == 8
    assert status == 0  # a quick run's sizes are too small for the targets to count


def reconstruction_rows(backend, no_snapshots_ms, snapshots_ms_at_100, snapshots_ms_at_10000):
    return [
        {"backend": backend, "variant": "no snapshots", "events": 10000, "seconds": no_snapshots_ms / 1000},
        {"backend": backend, "variant": "snapshots", "events": 100, "seconds": snapshots_ms_at_100 / 1000},
        {"backend": backend, "variant": "snapshots", "events": 10000, "seconds": snapshots_ms_at_10000 / 1000},
    ]


def test_targets_pass_or_fail_by_their_bounds():
    reconstruction = reconstruction_rows("sqlite", 200, 0.1, 0.3) + reconstruction_rows("memory", 200, 0.1, 3)
    throughput = [
        {"backend": "sqlite", "bank": "SingleProcessBank", "runner": "NewSingleThreadedRunner", "ratio_to_raw": 0.19}
        | {"tx_per_s": 500.0},  # x 3 recordings: 0.57
        {"backend": "memory", "bank": "SingleProcessBank", "runner": "NewSingleThreadedRunner", "ratio_to_raw": 0.21}
        | {"tx_per_s": 600.0},  # x 3 recordings: 0.63
        {"backend": "memory", "bank": BASELINE.label, "runner": "SingleThreadedRunner", "tx_per_s": 100.0},
        {"backend": "memory", "bank": "EventSourcedBank", "runner": "SingleThreadedRunner", "tx_per_s": 290.0},
    ]
    verdicts = {t.name: t.passed for t in check_targets(reconstruction, throughput, ["sqlite", "memory"])}
    assert verdicts == {
        "sqlite: get with snapshots, 10,000 ÷ 100 events": False,  # 3x
        "sqlite: get at 10,000 events, no snapshots ÷ snapshots": True,  # 667x
        "memory: get at 10,000 events, no snapshots ÷ snapshots": False,  # 67x; memory has no flatness target
        "sqlite: SingleProcessBank recordings/s (3 a transaction) ÷ raw saves/s": False,
        "memory: SingleProcessBank recordings/s (3 a transaction) ÷ raw saves/s": True,
        "memory: EventSourcedBank transactions/s ÷ the original design's": False,  # 2.9x
    }


def test_the_plots_titles_state_what_the_figures_measured():
    throughput = [
        {"backend": "memory", "bank": BASELINE.label, "tx_per_s": 100.0},
        {"backend": "memory", "bank": "SingleProcessBank", "tx_per_s": 650.0},
        {"backend": "sqlite", "bank": BASELINE.label, "tx_per_s": 50.0},
        {"backend": "sqlite", "bank": "EventSourcedBank", "tx_per_s": 60.0},
        {"backend": "sqlite", "bank": "SingleProcessBank", "tx_per_s": 150.0},
    ]
    assert throughput_finding(throughput) == (
        "The fastest bank runs 3.0–6.5× as many transactions/s as the original example's design"
    )
    growth = [
        {"backend": "memory", "bank": "SingleProcessBank", "dimension": "accounts", "size": 10, "tx_per_s": 400.0},
        {"backend": "memory", "bank": "SingleProcessBank", "dimension": "accounts", "size": 1000, "tx_per_s": 500.0},
        {"backend": "memory", "bank": "SingleProcessBank", "dimension": "history", "size": 10, "tx_per_s": 400.0},
        {"backend": "memory", "bank": "SingleProcessBank", "dimension": "history", "size": 500, "tx_per_s": 200.0},
    ]
    assert growth_finding(growth) == (
        "Up to 1,000 accounts and 500 events in a history, throughput stays within 2.0× of its first value"
    )


def test_a_transaction_is_recorded_by_the_account_service_the_ledger_and_the_log():
    assert RECORDINGS_PER_TRANSACTION == 3


def test_reconstruction_replays_only_the_events_after_the_latest_snapshot():
    rows = measure_reconstruction(persistence_env("memory"), [30, 120], repeats=1)
    assert [(r["events"], r["replayed"]) for r in rows] == [(30, 30), (120, 20)]
    assert all(r["seconds"] > 0 for r in rows)


def test_reconstruction_without_snapshots_replays_everything():
    rows = measure_reconstruction(persistence_env("memory"), [30, 120], snapshots=False, repeats=1)
    assert [(r["events"], r["replayed"]) for r in rows] == [(30, 30), (120, 120)]


def test_unknown_backend_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main([str(tmp_path), "--backends", "memory,oracle"])
    assert "unknown backends: oracle" in capsys.readouterr().err


# ---------------------------------------------------------------- the baseline


def snapshot_versions(app, aggregate_id):
    return [snapshot.originator_version for snapshot in app.snapshots.get(aggregate_id)]


def test_the_baseline_is_the_original_examples_design():
    """sfinnie/event_sourced_bank: snapshots every 50 in both services, no
    aggregate cache, SingleThreadedRunner."""
    assert (BASELINE.bank_class, BASELINE.runner_class) == (BaselineBank, SingleThreadedRunner)
    with BaselineBank(persistence_env("memory")) as bank:
        assert type(bank.runner) is SingleThreadedRunner
        assert bank.accounts.repository.cache is None
        assert bank.ledger.repository.cache is None
        account_id = bank.accounts.open_account("Alice")
        for _ in range(60):
            bank.accounts.deposit(account_id, Decimal("1.00"))
        bank.wait_for_ledger()
        assert snapshot_versions(bank.accounts, account_id) == [50]
        assert snapshot_versions(bank.ledger, Ledger.create_id(LedgerService.LEDGER_NAME)) == [50]
        assert bank.ledger.get_balance() == Decimal("60.00")


def test_quick_run_names_the_baseline_and_states_a_speed_up_per_backend(quick_run):
    outdir, _ = quick_run
    report = (outdir / "report.md").read_text()
    assert f"is {BASELINE_DESIGN}" in report
    assert "library's original" not in report
    with (outdir / "throughput.csv").open() as file:
        assert BASELINE.label in {row["bank"] for row in csv.DictReader(file)}
    for backend in BACKENDS:
        # - sqlite: EventSourcedBank 1.4× (SingleThreadedRunner), ...; SingleProcessBank 2.6× (NewSingleThreadedRunner)
        [line] = [line for line in report.splitlines() if line.startswith(f"- {backend}: EventSourcedBank ")]
        event_sourced_bank, single_process_bank = line.split("; ")
        assert re.findall(r"[\d.]+× \((\w+)\)", event_sourced_bank) == ["SingleThreadedRunner", "MultiThreadedRunner"]
        assert re.fullmatch(r"SingleProcessBank [\d.]+× \(NewSingleThreadedRunner\)", single_process_bank)


# ---------------------------------------------------------------- the command line


def bench(*args, **options):
    """`python -m course.bench ARGS` in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "course.bench", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **options,
    )


def unwritable_folder(tmp_path):
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    if not Path("/sys").is_dir():  # root may write in any folder but sysfs
        pytest.skip("running as root without /sys: no folder root cannot write in")
    return Path("/sys")


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("output folder inside a file", "as the output folder: Not a directory"),
        ("output folder is a file", "as the output folder: File exists"),
        ("output folder not writable", "as the output folder: Permission denied"),
        ("not a PostgreSQL URL", "not a PostgreSQL URL"),
        ("PostgreSQL not reachable", "cannot connect to PostgreSQL at 127.0.0.1:1"),
        ("unknown backend", "unknown backends: oracle"),
    ],
)
def test_each_command_line_error_is_one_line_and_a_failure_status(tmp_path, case, expected):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    outdir = tmp_path / "out"
    args = {
        "output folder inside a file": [a_file / "out", "--backends", "memory"],
        "output folder is a file": [a_file, "--backends", "memory"],
        "output folder not writable": [unwritable_folder(tmp_path), "--backends", "memory"],
        "not a PostgreSQL URL": [outdir, "--postgres-url", "mysql://bank@localhost/bank"],
        "PostgreSQL not reachable": [outdir, "--postgres-url", "postgresql://bank@127.0.0.1:1/bank"],
        "unknown backend": [outdir, "--backends", "memory,oracle"],
    }[case]
    result = bench(*args)
    assert result.returncode != 0
    assert result.stderr.splitlines() == [result.stderr.strip()], result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not outdir.exists() or not any(outdir.iterdir())  # nothing measured, nothing written


def interrupted_while_writing(path):
    with replacing(path) as temporary:
        temporary.write_text("half a rep")
        raise KeyboardInterrupt


def test_an_interrupted_write_leaves_the_previous_file_in_place(tmp_path):
    report = tmp_path / "report.md"
    report.write_text("the previous report")
    with pytest.raises(KeyboardInterrupt):
        interrupted_while_writing(report)
    assert report.read_text() == "the previous report"
    assert [path.name for path in tmp_path.iterdir()] == ["report.md"]


def running(pattern: str) -> bool:
    """Whether a process whose command line matches `pattern` is running."""
    return subprocess.run(["pgrep", "-f", pattern], capture_output=True, check=False).returncode == 0


def test_sigterm_stops_the_run_and_its_embedded_postgres_server(tmp_path):
    # Its own temporary folder, so that its server's data folder is known: <temp>/bank-postgres-*
    temp, outdir, stderr = tmp_path / "tmp", tmp_path / "out", tmp_path / "stderr.txt"
    temp.mkdir()
    server = f"{temp}/bank-postgres-"
    with stderr.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "course.bench", str(outdir), "--quick", "--backends", "postgres"],
            cwd=ROOT,
            env=os.environ | {"TMPDIR": str(temp)},
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + 120
        while not running(f"bin/postgres -D {server}") and process.poll() is None:
            assert time.monotonic() < deadline, "the embedded PostgreSQL server did not start"
            time.sleep(0.05)
        assert process.poll() is None, stderr.read_text()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = stderr.read_text()
    assert process.returncode == 143, output
    assert output.splitlines()[-1] == "interrupted"
    assert "Traceback" not in output
    assert not running(server)
    assert list(temp.glob("bank-*")) == []  # its temporary folders are gone
    assert list(outdir.iterdir()) == []  # no result, and no half-written one
