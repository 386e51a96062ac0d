"""The performance lab: `python -m course.bench OUTDIR [--quick]`.

Measures the bank on the in-memory, SQLite and PostgreSQL backends and writes
CSV files, PNG plots and a Markdown report into OUTDIR:

1. reconstruction: how long `repository.get` takes as an account's history
   grows, without snapshots, with snapshots, and with the aggregate cache;
2. throughput: transactions per second through the bank (the account event
   recorded *and* processed into the ledger), against the library's raw save
   rate (one aggregate, one event per save) on the same backend, and against
   a baseline: the original example's design (snapshots every 50, no
   aggregate cache, SingleThreadedRunner), as in sfinnie/event_sourced_bank;
3. growth: throughput and memory as the number of accounts and the length
   of the history grow.

Then it checks the targets (ratios measured in this run), prints PASS or
FAIL for each, and exits with status 1 if one fails (not with --quick,
whose sizes are too small for the targets). An error (an output folder it
cannot write, a PostgreSQL server it cannot reach, ...) is one line on
stderr and exit status 2; Ctrl-C or SIGTERM stops it cleanly (the embedded
PostgreSQL server stopped, temporary folders removed) with status 130 or 143.

The choices that make the bank fast are explained where they are made:
`bank/variants/single_process.py` (cache settings, copies, snapshots, runner).
"""

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.system import (
    MultiThreadedRunner,
    NewSingleThreadedRunner,
    Runner,
    SingleThreadedRunner,
)

from bank.account import Account
from bank.account_service import AccountService
from bank.persistence import PersistenceConfigError, persistence_env
from bank.system import EventSourcedBank
from bank.variants.single_process import SingleProcessBank
from course.cli import ArgumentParser, run_command, writable_folder
from course.postgres import check_reachable

if TYPE_CHECKING:
    from tqdm import tqdm

CENT = Decimal("0.01")
# A deposit is recorded by the account service, then by each follower that
# processes it (the ledger, the transaction log) with its tracking record.
RECORDINGS_PER_TRANSACTION = 1 + len(EventSourcedBank.system.followers)
T = TypeVar("T")
NO_CACHE = {"AGGREGATE_CACHE_MAXSIZE": ""}  # an empty value switches the cache off


# ---------------------------------------------------------------- storage


class Stores:
    """Fresh, empty storage for each measurement, so runs never collide:
    a new SQLite folder, or a new PostgreSQL schema, every time."""

    def __init__(self, stack: ExitStack, backends: Sequence[str], postgres_url: str | None = None) -> None:
        self._folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bank-bench-")))
        self._count = 0
        self._postgres_url = postgres_url
        self._schemas: list[str] = []
        if "postgres" in backends and postgres_url is None:
            from course.postgres import embedded_postgres  # noqa: PLC0415 (needs the "postgres" extra)

            self._postgres_url = stack.enter_context(embedded_postgres())
        stack.callback(self._drop_schemas)  # runs before the server stops

    def env(self, backend: str) -> dict[str, str]:
        self._count += 1
        if backend == "sqlite":
            folder = self._folder / f"sqlite-{self._count}"
            # Services keep their own files; any other application uses app.sqlite.
            return persistence_env("sqlite", folder) | {"SQLITE_DBNAME": str(folder / "app.sqlite")}
        if backend == "postgres":
            assert self._postgres_url is not None
            schema = f"bench_{time.time_ns()}_{self._count}"
            _execute(self._postgres_url, f'CREATE SCHEMA "{schema}"')
            self._schemas.append(schema)
            return persistence_env("postgres", self._postgres_url) | {"POSTGRES_SCHEMA": schema}
        return persistence_env(backend)

    def _drop_schemas(self) -> None:
        for schema in self._schemas:
            _execute(self._postgres_url, f'DROP SCHEMA "{schema}" CASCADE')


def _execute(url: str | None, statement: str) -> None:
    import psycopg  # noqa: PLC0415 (optional extra "postgres")

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


# ---------------------------------------------------------------- 1. reconstruction


class NoSnapshotsAccountService(AccountService):
    """AccountService without snapshots: every read replays the whole history."""

    name = AccountService.name
    snapshotting_intervals: ClassVar = {}


def time_call(call: Callable[[], object], repeats: int) -> float:
    """Median duration of `call()` in seconds, after one untimed warm-up call."""
    call()
    durations = []
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as timeit does: no collection pauses inside a timing
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            durations.append(time.perf_counter() - start)
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(durations)


def measure_reconstruction(
    env: Mapping[str, str],
    lengths: Sequence[int],
    *,
    snapshots: bool = True,
    cache: bool = False,
    repeats: int = 5,
) -> list[dict[str, Any]]:
    """Time `repository.get` of one account while its history grows.

    The account gets credits until it has `lengths[0]` events, is read back
    (median of `repeats`, one warm-up read not counted), gets more credits
    up to `lengths[1]` events, and so on. Returns one row per length:
    events, seconds, and how many events the read replayed after the
    latest snapshot.
    """
    service_class = AccountService if snapshots else NoSnapshotsAccountService
    # The cache as EventSourcedBank would use it: fast-forward on (the
    # library's default), so each read still asks for newer events.
    settings = {"AGGREGATE_CACHE_MAXSIZE": "100"} if cache else NO_CACHE
    service = service_class(env=dict(env) | settings)
    try:
        account = Account("Reader")
        rows = []
        for length in lengths:
            while account.version < length:
                for _ in range(min(100, length - account.version)):
                    account.credit(CENT)
                service.save(account)  # up to 100 events in one recording
            seconds = time_call(lambda: service.repository.get(account.id), repeats)
            snapshot = _latest_snapshot_version(service, account.id)
            rows.append({"events": length, "seconds": seconds, "replayed": length - snapshot})
        return rows
    finally:
        service.close()


def _latest_snapshot_version(service: Application, aggregate_id: Any) -> int:
    if service.snapshots is None:
        return 0
    latest = list(service.snapshots.get(aggregate_id, desc=True, limit=1))
    return latest[0].originator_version if latest else 0


# ---------------------------------------------------------------- 2. throughput


class Counter(Aggregate):
    """The smallest aggregate: one event, no data. For the raw save rate."""

    @event("Ticked")
    def tick(self) -> None:
        pass


class RawApplication(Application):
    """A plain application: it saves, nothing follows it."""


def raw_save_rate(env: Mapping[str, str], saves: int) -> float:
    """The library's own rate: saves per second of one aggregate, one event each."""
    app = RawApplication(env=dict(env))
    try:
        counter = Counter()
        app.save(counter)
        start = time.perf_counter()
        for _ in range(saves):
            counter.tick()
            app.save(counter)
        return saves / (time.perf_counter() - start)
    finally:
        app.close()


BASELINE_DESIGN = "the original example's design (snapshots every 50, no aggregate cache, SingleThreadedRunner)"


class BaselineBank(EventSourcedBank):
    """The original example's design (sfinnie/event_sourced_bank, 2022):
    snapshots every 50 events in both services, no aggregate cache (the
    library's default), SingleThreadedRunner.

    The system is EventSourcedBank's own: its AccountService and
    LedgerService take snapshots every 50 events, as the original's did;
    here they run with the cache switched off, so each transaction reads
    the account, then the ledger, back from its latest snapshot and the
    events since (up to 49).
    """

    def __init__(self, env: Mapping[str, str] | None = None, runner_class: type[Runner] = SingleThreadedRunner):
        super().__init__(dict(env or {}) | NO_CACHE, runner_class)


@dataclass(frozen=True)
class BankSetup:
    """One way to run the bank: which bank class, which runner."""

    label: str
    bank_class: type[EventSourcedBank]
    runner_class: type[Runner]


BASELINE = BankSetup("original example's design", BaselineBank, SingleThreadedRunner)
SINGLE_PROCESS = BankSetup("SingleProcessBank", SingleProcessBank, NewSingleThreadedRunner)
BANK_SETUPS = (
    BASELINE,
    BankSetup("EventSourcedBank", EventSourcedBank, SingleThreadedRunner),
    BankSetup("EventSourcedBank", EventSourcedBank, MultiThreadedRunner),
    SINGLE_PROCESS,
)


def open_accounts(bank: EventSourcedBank, count: int) -> list[Any]:
    """Open `count` accounts, 100 per recording (set-up, not measured)."""
    ids = []
    for first in range(0, count, 100):
        batch = [Account(f"Customer {n}") for n in range(first, min(first + 100, count))]
        bank.accounts.save(*batch)
        ids += [account.id for account in batch]
    return ids


def run_transactions(bank: EventSourcedBank, account_ids: Sequence[Any], count: int, rng: random.Random) -> float:
    """Deposit into random accounts until the ledger has processed them all;
    return transactions per second."""
    start = time.perf_counter()
    for _ in range(count):
        bank.accounts.deposit(rng.choice(account_ids), CENT)
    bank.wait_for_ledger(timeout=600)
    return count / (time.perf_counter() - start)


def bank_throughput(env: Mapping[str, str], setup: BankSetup, transactions: int, accounts: int = 10) -> float:
    """Transactions per second through the bank, each recorded and processed.

    After the run, the ledger must equal the sum of the accounts' balances.
    """
    rng = random.Random(42)
    with setup.bank_class(env, runner_class=setup.runner_class) as bank:
        ids = open_accounts(bank, accounts)
        run_transactions(bank, ids, accounts, rng)  # warm-up, not counted
        rate = run_transactions(bank, ids, transactions, rng)
        _check_invariant(bank, ids)
    return rate


def _check_invariant(bank: EventSourcedBank, account_ids: Sequence[Any]) -> None:
    total = sum((bank.accounts.get_balance(i) for i in account_ids), Decimal("0.00"))
    if bank.ledger.get_balance() != total:
        msg = f"ledger {bank.ledger.get_balance()} != sum of balances {total}"
        raise AssertionError(msg)


# ---------------------------------------------------------------- 3. growth


def measure_growth(
    env: Mapping[str, str], setup: BankSetup, *, accounts: int, history: int, transactions: int
) -> dict[str, float]:
    """Throughput and memory of a bank with `accounts` accounts, one of
    which already has `history` credits (processed by the ledger too).

    Memory is what Python allocated for the bank and still holds (traced
    with tracemalloc during set-up and a first round of transactions);
    throughput is measured afterwards, with tracing off.
    """
    rng = random.Random(7)
    tracemalloc.start()
    try:
        with setup.bank_class(env, runner_class=setup.runner_class) as bank:
            ids = open_accounts(bank, accounts)
            _add_history(bank, ids[0], history)
            bank.wait_for_ledger(timeout=600)
            run_transactions(bank, ids, transactions, rng)
            memory = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
            rate = run_transactions(bank, ids, transactions, rng)
            _check_invariant(bank, ids)
    finally:
        tracemalloc.stop()
    return {"tx_per_s": rate, "memory_mb": memory / 1e6}


def _add_history(bank: EventSourcedBank, account_id: Any, events: int) -> None:
    """Credit one account `events` times, 100 credits per recording."""
    account = bank.accounts.get_account(account_id)
    for first in range(0, events, 100):
        for _ in range(min(100, events - first)):
            account.credit(CENT)
        bank.accounts.save(account)


# ---------------------------------------------------------------- the run


@dataclass(frozen=True)
class Plan:
    """How big each measurement is (the full run, or the quick smoke run)."""

    lengths: tuple[int, ...]
    repeats: int
    rounds: int
    transactions: int
    growth_accounts: tuple[int, ...]
    growth_history: tuple[int, ...]
    growth_transactions: int


FULL = Plan(
    # Multiples of 50, so that each read with snapshots starts at a snapshot:
    # between them, a read replays up to 49 more events (the sawtooth of chapter 05).
    lengths=(50, 100, 200, 500, 1000, 2000, 5000, 10000),
    repeats=7,
    rounds=5,
    transactions=500,
    growth_accounts=(10, 100, 1000, 10000),
    growth_history=(10, 100, 1000, 5000),  # every event processed by the ledger too, under tracemalloc
    growth_transactions=200,
)
QUICK = Plan(
    lengths=(50, 100, 1000),
    repeats=2,
    rounds=1,
    transactions=30,
    growth_accounts=(10, 100),
    growth_history=(10, 100),
    growth_transactions=20,
)


@dataclass(frozen=True)
class Target:
    """A ratio measured in this run and the bound it must meet."""

    name: str
    value: float
    bound: float
    at_least: bool

    @property
    def passed(self) -> bool:
        return self.value >= self.bound if self.at_least else self.value <= self.bound

    def line(self) -> str:
        sign = ">=" if self.at_least else "<="
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.value:.2f} (target {sign} {self.bound:g})"


def run_reconstruction(stores: Stores, backends: Sequence[str], plan: Plan, progress: "tqdm") -> list[dict[str, Any]]:
    rows = []
    for backend in backends:
        for variant, options in (
            ("no snapshots", {"snapshots": False}),
            ("snapshots", {"snapshots": True}),
            ("snapshots + cache", {"snapshots": True, "cache": True}),
        ):
            progress.set_postfix_str(f"reconstruction {backend}, {variant}")
            measured = measure_reconstruction(stores.env(backend), plan.lengths, repeats=plan.repeats, **options)
            rows += [{"backend": backend, "variant": variant, **row} for row in measured]
            progress.update()
    return rows


def run_throughput(stores: Stores, backends: Sequence[str], plan: Plan, progress: "tqdm") -> list[dict[str, Any]]:
    """Best of `plan.rounds` rounds, as timeit does: other processes on the
    machine only ever slow a round down. Each bank's run is paired with a
    raw-save run made just before it, on the same backend, best of as many
    rounds. The baseline runs every round too, so that each speed-up over
    it compares a best with a best."""
    best: dict[tuple[str, str, str], float] = {}
    raw: dict[tuple[str, str, str], float] = {}
    for _ in range(plan.rounds):
        for backend in backends:
            progress.set_postfix_str(f"throughput {backend}")
            for setup in BANK_SETUPS:
                key = (backend, setup.label, setup.runner_class.__name__)
                raw[key] = max(raw_save_rate(stores.env(backend), plan.transactions), raw.get(key, 0))
                rate = bank_throughput(stores.env(backend), setup, plan.transactions)
                best[key] = max(rate, best.get(key, 0))
            progress.update()
    return [
        {
            "backend": backend,
            "bank": label,
            "runner": runner,
            "transactions": plan.transactions,
            "tx_per_s": rate,
            "raw_saves_per_s": raw[backend, label, runner],
            "ratio_to_raw": rate / raw[backend, label, runner],
        }
        for (backend, label, runner), rate in best.items()
    ]


def run_growth(stores: Stores, backends: Sequence[str], plan: Plan, progress: "tqdm") -> list[dict[str, Any]]:
    rows = []
    growth_setups = (BANK_SETUPS[1], SINGLE_PROCESS)  # EventSourcedBank and SingleProcessBank
    for backend in backends:
        for setup in growth_setups:
            for dimension, sizes in (("accounts", plan.growth_accounts), ("history", plan.growth_history)):
                for size in sizes:
                    progress.set_postfix_str(f"growth {backend}, {setup.label}, {dimension} {size}")
                    accounts, history = (size, 10) if dimension == "accounts" else (10, size)
                    measured = measure_growth(
                        stores.env(backend),
                        setup,
                        accounts=accounts,
                        history=history,
                        transactions=plan.growth_transactions,
                    )
                    rows.append(
                        {"backend": backend, "bank": setup.label, "dimension": dimension, "size": size, **measured}
                    )
            progress.update()
    return rows


def check_targets(reconstruction: list[dict], throughput: list[dict], backends: Sequence[str]) -> list[Target]:
    def get_time(backend: str, variant: str, events: int) -> float:
        return next(
            r["seconds"]
            for r in reconstruction
            if (r["backend"], r["variant"], r["events"]) == (backend, variant, events)
        )

    longest = max(r["events"] for r in reconstruction)
    targets = []
    for backend in backends:
        if backend != "memory" and longest > 100:
            ratio = get_time(backend, "snapshots", longest) / get_time(backend, "snapshots", 100)
            targets.append(Target(f"{backend}: get with snapshots, {longest:,} ÷ 100 events", ratio, 2, at_least=False))
    for backend in backends:
        ratio = get_time(backend, "no snapshots", longest) / get_time(backend, "snapshots", longest)
        targets.append(
            Target(f"{backend}: get at {longest:,} events, no snapshots ÷ snapshots", ratio, 100, at_least=True)
        )
    for backend in backends:
        if backend != "postgres":
            row = next(r for r in throughput if r["backend"] == backend and r["bank"] == SINGLE_PROCESS.label)
            name = (
                f"{backend}: SingleProcessBank recordings/s ({RECORDINGS_PER_TRANSACTION} a transaction) ÷ raw saves/s"
            )
            targets.append(Target(name, row["ratio_to_raw"] * RECORDINGS_PER_TRANSACTION, 0.60, at_least=True))
    if "memory" in backends:
        factor = speedups(throughput)["memory"][BANK_SETUPS[1].label, BANK_SETUPS[1].runner_class.__name__]
        targets.append(
            Target("memory: EventSourcedBank transactions/s ÷ the original design's", factor, 3, at_least=True)
        )
    return targets


# ---------------------------------------------------------------- output


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """`with replacing(path) as temporary:` write `temporary`, a file beside
    `path`; when the block ends without an error it takes `path`'s place in
    one step (`os.replace`). So an interrupted run never leaves a half-written
    file where a good one was."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    import csv  # noqa: PLC0415

    with replacing(path) as temporary, temporary.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def speedups(throughput: list[dict[str, Any]]) -> dict[str, dict[tuple[str, str], float]]:
    """Each bank's throughput ÷ the baseline's on the same backend:
    {backend: {(bank, runner): factor}}."""
    baseline = {r["backend"]: r["tx_per_s"] for r in throughput if r["bank"] == BASELINE.label}
    factors: dict[str, dict[tuple[str, str], float]] = {}
    for r in throughput:
        if r["bank"] != BASELINE.label and r["backend"] in baseline:
            factors.setdefault(r["backend"], {})[r["bank"], r["runner"]] = r["tx_per_s"] / baseline[r["backend"]]
    return factors


def speedup_line(backend: str, factors: Mapping[tuple[str, str], float]) -> str:
    """`- sqlite: EventSourcedBank 1.4× (SingleThreadedRunner), ...; SingleProcessBank 2.6× (...)`"""
    banks: dict[str, list[str]] = {}
    for (bank, runner), factor in factors.items():
        banks.setdefault(bank, []).append(f"{factor:.1f}× ({runner})")
    return f"- {backend}: " + "; ".join(f"{bank} {', '.join(runs)}" for bank, runs in banks.items())


def report(
    reconstruction: list[dict], throughput: list[dict], growth: list[dict], targets: list[Target], command: str
) -> str:
    longest = max(r["events"] for r in reconstruction)
    backends = list(dict.fromkeys(r["backend"] for r in reconstruction))
    variants = list(dict.fromkeys(r["variant"] for r in reconstruction))
    shown = sorted({min(r["events"] for r in reconstruction), 100, longest} & {r["events"] for r in reconstruction})

    def ms(backend: str, variant: str, events: int) -> str:
        row = next(r for r in reconstruction if (r["backend"], r["variant"], r["events"]) == (backend, variant, events))
        return f"{row['seconds'] * 1000:.3g}"

    get_table = markdown_table(
        ["backend", "reading an account", *[f"{n:,} events (ms)" for n in shown]],
        [[b, v, *[ms(b, v, n) for n in shown]] for b in backends for v in variants],
    )
    throughput_table = markdown_table(
        ["backend", "bank", "runner", "transactions/s", "raw saves/s", "÷ raw"],
        [
            [
                r["backend"],
                r["bank"],
                r["runner"],
                f"{r['tx_per_s']:,.0f}",
                f"{r['raw_saves_per_s']:,.0f}",
                f"{r['ratio_to_raw']:.2f}",
            ]
            for r in throughput
        ],
    )
    growth_table = markdown_table(
        ["backend", "bank", "grows", "size", "transactions/s", "memory (MB)"],
        [
            [
                r["backend"],
                r["bank"],
                r["dimension"],
                f"{r['size']:,}",
                f"{r['tx_per_s']:,.0f}",
                f"{r['memory_mb']:.1f}",
            ]
            for r in growth
        ],
    )
    speedup_lines = "\n".join(speedup_line(backend, factors) for backend, factors in speedups(throughput).items())
    target_lines = "\n".join(f"- {t.line()}" for t in targets)
    return f"""# Bank performance

Command: `{command}`

## Targets

{target_lines}

## Reading an account (`repository.get`, median)

{get_table}

## Throughput (best of rounds; each transaction recorded and processed into the ledger)

{throughput_table}

The baseline is {BASELINE_DESIGN}, as in
[sfinnie/event_sourced_bank](https://github.com/sfinnie/event_sourced_bank) (2022):
EventSourcedBank's own services, run that way. Speed-up over it, measured in this run
(transactions/s ÷ the baseline's, same backend):

{speedup_lines}

## Growth (EventSourcedBank on SingleThreadedRunner, SingleProcessBank on NewSingleThreadedRunner)

{growth_table}
"""


def plot_reconstruction(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib.pyplot as plt  # noqa: PLC0415

    backends = list(dict.fromkeys(r["backend"] for r in rows))
    fig, axes = plt.subplots(1, len(backends), figsize=(4.2 * len(backends), 3.8), sharey=True, squeeze=False)
    for ax, backend in zip(axes[0], backends, strict=True):
        for variant in dict.fromkeys(r["variant"] for r in rows):
            points = [r for r in rows if r["backend"] == backend and r["variant"] == variant]
            ax.plot([r["events"] for r in points], [r["seconds"] * 1000 for r in points], marker="o", label=variant)
        ax.set(xscale="log", yscale="log", title=backend, xlabel="events in the account's history")
        ax.grid(True, which="major", alpha=0.3)
    axes[0][0].set_ylabel("repository.get (ms, median)")
    axes[0][0].legend()
    fig.suptitle(
        "Without snapshots, a read grows with the history; from a snapshot it stays level (read at multiples of 50)"
    )
    fig.tight_layout()
    _save(fig, path)


def plot_throughput(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib.pyplot as plt  # noqa: PLC0415

    backends = list(dict.fromkeys(r["backend"] for r in rows))
    fig, axes = plt.subplots(1, len(backends), figsize=(4.6 * len(backends), 4.2), squeeze=False)
    for ax, backend in zip(axes[0], backends, strict=True):
        points = [r for r in rows if r["backend"] == backend]
        labels = [_bar_label(r) for r in points]
        ax.barh(labels, [r["tx_per_s"] for r in points], color="tab:blue")
        raw = max(r["raw_saves_per_s"] for r in points)
        ax.axvline(raw, color="tab:red", linestyle="--", label="raw saves/s (best)")
        ceiling = raw / RECORDINGS_PER_TRANSACTION
        ax.axvline(ceiling * 0.6, color="tab:gray", linestyle=":", label=f"0.60 × raw ÷ {RECORDINGS_PER_TRANSACTION}")
        ax.set(title=backend, xlabel="transactions per second")
        ax.tick_params(axis="y", labelsize=7)
    axes[0][0].legend(fontsize=8)
    fig.suptitle(throughput_finding(rows))
    fig.tight_layout()
    _save(fig, path)


def throughput_finding(rows: list[dict[str, Any]]) -> str:
    """The figure's title: how many times the original design's rate the fastest bank reaches."""
    baseline = {r["backend"]: r["tx_per_s"] for r in rows if r["bank"] == BASELINE.label}
    best = {b: max(r["tx_per_s"] for r in rows if r["backend"] == b) for b in baseline}
    speedups = sorted(best[b] / baseline[b] for b in baseline)
    if not speedups:
        return "Bank throughput against the library's raw save rate"
    span = f"{speedups[0]:.1f}×" if len(speedups) == 1 else f"{speedups[0]:.1f}–{speedups[-1]:.1f}×"
    return f"The fastest bank runs {span} as many transactions/s as the original example's design"


def _bar_label(row: Mapping[str, Any]) -> str:
    design = "\n(snapshots every 50, no cache)" if row["bank"] == BASELINE.label else ""
    return f"{row['bank']}{design}\n{row['runner'].replace('Runner', '')}"


def plot_growth(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib.pyplot as plt  # noqa: PLC0415

    fig, axes = plt.subplots(2, 2, figsize=(10, 7))
    for col, dimension in enumerate(("accounts", "history")):
        for key, dimension_rows in _groups([r for r in rows if r["dimension"] == dimension]).items():
            sizes = [r["size"] for r in dimension_rows]
            axes[0][col].plot(sizes, [r["tx_per_s"] for r in dimension_rows], marker="o", label=key)
            axes[1][col].plot(sizes, [r["memory_mb"] for r in dimension_rows], marker="o", label=key)
        label = "number of accounts" if dimension == "accounts" else "events in one account's history"
        axes[0][col].set(xscale="log", yscale="log", ylabel="transactions per second", xlabel=label)
        axes[1][col].set(xscale="log", ylabel="memory held (MB)", xlabel=label)
    axes[0][0].legend(fontsize=7)
    fig.suptitle(growth_finding(rows))
    fig.tight_layout()
    _save(fig, path)


def growth_finding(rows: list[dict[str, Any]]) -> str:
    """The figure's title: how far throughput moves from its value at the smallest size."""
    worst = 1.0
    for group in _groups(rows).values():
        for dimension in ("accounts", "history"):
            points = sorted((r["size"], r["tx_per_s"]) for r in group if r["dimension"] == dimension)
            for _, rate in points[1:]:
                worst = max(worst, points[0][1] / rate, rate / points[0][1])
    largest = {d: max((r["size"] for r in rows if r["dimension"] == d), default=0) for d in ("accounts", "history")}
    return (
        f"Up to {largest['accounts']:,} accounts and {largest['history']:,} events in a history, "
        f"throughput stays within {worst:.1f}× of its first value"
    )


def _save(figure: Any, path: Path) -> None:
    import matplotlib.pyplot as plt  # noqa: PLC0415

    try:
        with replacing(path) as temporary:
            figure.savefig(temporary, format="png", dpi=110)
    finally:
        plt.close(figure)


def _groups(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(f"{row['backend']}, {row['bank']}", []).append(row)
    return groups


# ---------------------------------------------------------------- the command line


class BenchError(Exception):
    """A problem the user can fix, reported in one line."""


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = ArgumentParser(
        prog="python -m course.bench",
        description=__doc__.split("\n\n")[0],
        epilog=f"Throughput is compared with the library's raw save rate and with {BASELINE_DESIGN}. "
        "Exit status: 0, or 1 when a target fails (not with --quick) or on an error; 2 on a wrong argument; "
        "130 or 143 when interrupted.",
    )
    parser.add_argument("outdir", type=Path, help="folder for the CSV files, plots and report (created if missing)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a small, fast run that checks the benchmark works (its verdicts do not set the exit status)",
    )
    parser.add_argument(
        "--backends",
        default="memory,sqlite,postgres",
        help="comma-separated backends to measure (default: memory,sqlite,postgres)",
    )
    parser.add_argument("--postgres-url", help="use this PostgreSQL server instead of starting an embedded one")
    args = parser.parse_args(argv)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(args.backends) - {"memory", "sqlite", "postgres"}
    if unknown or not args.backends:
        parser.error(f"unknown backends: {', '.join(sorted(unknown)) or '(none given)'}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    command = "python -m course.bench " + " ".join(sys.argv[1:] if argv is None else argv)
    return run_command(lambda: run(args, command), errors=(BenchError, PersistenceConfigError))


def run(args: argparse.Namespace, command: str) -> int:
    backends, outdir = args.backends, args.outdir
    plan = QUICK if args.quick else FULL
    if "postgres" in backends and args.postgres_url is not None:
        check_reachable(persistence_env("postgres", args.postgres_url))  # a wrong URL or no server: it fails now
    writable_folder(outdir, "the output folder")  # checked before anything is measured

    steps = len(backends) * 3 + plan.rounds * len(backends) + len(backends) * 2
    with ExitStack() as stack:
        from tqdm import tqdm  # noqa: PLC0415 (the "bench" extra: chapter 05 imports this module without it)

        progress = stack.enter_context(tqdm(total=steps, desc="course.bench", unit="step"))
        progress.set_postfix_str("starting")
        stores = Stores(stack, backends, args.postgres_url)
        reconstruction = run_reconstruction(stores, backends, plan, progress)
        throughput = run_throughput(stores, backends, plan, progress)
        growth = run_growth(stores, backends, plan, progress)
        progress.set_postfix_str("done")

    targets = check_targets(reconstruction, throughput, backends)
    text = report(reconstruction, throughput, growth, targets, command)
    try:
        write_csv(outdir / "reconstruction.csv", reconstruction)
        write_csv(outdir / "throughput.csv", throughput)
        write_csv(outdir / "growth.csv", growth)
        plot_reconstruction(reconstruction, outdir / "reconstruction.png")
        plot_throughput(throughput, outdir / "throughput.png")
        plot_growth(growth, outdir / "growth.png")
        with replacing(outdir / "report.md") as temporary:
            temporary.write_text(text)
    except OSError as error:
        msg = f"cannot write the results in {outdir}: {error.strerror or error}"
        raise BenchError(msg) from None

    print(text)
    for target in targets:
        print(target.line())
    if args.quick:
        print("(--quick: the targets are set for the full run's sizes; these verdicts do not change the exit status)")
        return 0
    return 0 if all(t.passed for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
