"""The benchmark runs end to end (a quick run, no timing assertions) and
its measurement functions report what they measured."""

import csv

import pytest

from bank import persistence_env
from course.bench import check_targets, main, measure_reconstruction

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
    # flat reads on sqlite and postgres, snapshot speed-up on all three, throughput on memory and sqlite
    assert len(verdicts) == 7
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
        {"backend": "sqlite", "bank": "SingleProcessBank", "ratio_to_raw": 0.29},
        {"backend": "memory", "bank": "SingleProcessBank", "ratio_to_raw": 0.31},
    ]
    verdicts = {t.name: t.passed for t in check_targets(reconstruction, throughput, ["sqlite", "memory"])}
    assert verdicts == {
        "sqlite: get with snapshots, 10,000 ÷ 100 events": False,  # 3x
        "sqlite: get at 10,000 events, no snapshots ÷ snapshots": True,  # 667x
        "memory: get at 10,000 events, no snapshots ÷ snapshots": False,  # 67x; memory has no flatness target
        "sqlite: SingleProcessBank transactions/s ÷ raw saves/s": False,
        "memory: SingleProcessBank transactions/s ÷ raw saves/s": True,
    }


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
