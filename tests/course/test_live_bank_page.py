"""Chapter 14's page, served by Voilà exactly as the README says, in a real
browser (headless Chromium): a user opens accounts, credits, is refused a
debit, transfers; the Ledger and Events panels follow; then other processes
write to the same SQLite files and the page shows it by itself. The page
has a title, reads well from 700 px wide up, and a second visitor finds an
account picked; Voilà logs no "not trusted" warning for a trusted notebook.

The tests save screenshots in their temporary folders. With
LIVE_BANK_SCREENSHOT=docs/live_bank.png it also saves it there (the README's
picture):

    LIVE_BANK_SCREENSHOT=docs/live_bank.png python -m pytest tests/course/test_live_bank_page.py

Run with -s to see how long the page took to show each of another process's
events (from the write to the text in the browser).
"""

import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from bank import AccountService, persistence_env

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "14_live_bank.ipynb"
SECONDS = 30  # the longest any step may take before the test fails


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(url: str, voila: subprocess.Popen, log: Path) -> None:
    """Poll one of Voilà's static files (a page would start a kernel) until it answers."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "voila/static/voila.js", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            if voila.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Voilà did not start serving:\n{log.read_text()}")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """The SQLite folder the page and the other processes share."""
    return tmp_path_factory.mktemp("live-bank") / "bank-data"


@dataclass
class Voila:
    url: str
    log: Path


@pytest.fixture(scope="module")
def voila(database, tmp_path_factory):
    """`jupyter trust notebooks/14_live_bank.ipynb`, then `voila
    notebooks/14_live_bank.ipynb`, run in the course's folder (its voila.json
    leaves out the cells tagged chapter-only), with BANK_DATABASE naming the
    shared folder. Jupyter's record of trusted notebooks is kept in a folder
    of the test's own (JUPYTER_DATA_DIR), not the user's. Stopped with
    SIGTERM, which makes Voilà shut its kernels down before it exits."""
    folder = tmp_path_factory.mktemp("voila")
    log = folder / "voila.log"
    env = os.environ | {"BANK_DATABASE": str(database), "JUPYTER_DATA_DIR": str(folder / "jupyter-data")}
    notebook = str(NOTEBOOK.relative_to(ROOT))
    subprocess.run(["jupyter", "trust", notebook], cwd=ROOT, env=env, check=True, capture_output=True, timeout=SECONDS)
    port = free_port()
    command = [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.port_retries=0"]
    with log.open("w") as output:
        server = subprocess.Popen([*command, notebook], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    served = Voila(f"http://localhost:{port}/", log)
    try:
        wait_until_serving(served.url, server, log)
        yield served
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=SECONDS) == 0, log.read_text()
        assert log.read_text().count("Kernel started") == log.read_text().count("Kernel shutdown")


@dataclass
class Page:
    """The page in the browser, and what a user does on it."""

    browser: Any
    voila: Voila

    def text(self, panel: str) -> str:
        return self.browser.find_element(By.CSS_SELECTOR, f".live-bank-{panel}").text

    def shows(self, panel: str, expected: str, timeout: float = SECONDS) -> None:
        """Wait until the panel's text contains `expected`; fail with what the page shows instead."""
        try:
            WebDriverWait(self.browser, timeout, poll_frequency=0.02).until(lambda _: expected in self.text(panel))
        except TimeoutException:
            body = self.browser.find_element(By.TAG_NAME, "body").text
            pytest.fail(
                f"the {panel} panel does not show {expected!r} after {timeout} s; it shows {self.text(panel)!r}.\n"
                f"The page:\n{body}\n\nVoilà's log:\n{self.voila.log.read_text()[-3000:]}"
            )

    def type_into(self, field: str, value: str) -> None:
        box = self.browser.find_element(By.CSS_SELECTOR, f".live-bank-{field} input")
        box.send_keys(Keys.CONTROL, "a")  # typing replaces what is there, as a user does
        box.send_keys(value)

    def pick(self, field: str, account: str) -> None:
        Select(self.browser.find_element(By.CSS_SELECTOR, f".live-bank-{field} select")).select_by_visible_text(account)

    def click(self, button: str) -> None:
        self.browser.find_element(By.CSS_SELECTOR, f"button.live-bank-{button}").click()

    def open_again(self) -> None:
        """Open the page anew, as a new visitor (Voilà starts a kernel for each),
        and wait until its widgets are drawn."""
        self.browser.get("about:blank")  # closes the page's connection to its kernel
        self.browser.get(self.voila.url)
        WebDriverWait(self.browser, 60).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".live-bank-accounts table"))


@pytest.fixture(scope="module")
def page(voila, browser):
    """The page, open in the browser, once its widgets are drawn."""
    opened = Page(browser, voila)
    opened.open_again()
    yield opened
    browser.get("about:blank")  # closes the page's connection to its kernel


def test_the_page_is_the_live_bank_alone(page):
    body = page.browser.find_element(By.TAG_NAME, "body").text
    assert page.browser.title == "The live bank"  # the tab's title (the notebook's metadata), not its file name
    assert "The live bank" in body
    assert "Events stored in SQLite · refreshes every 1 s" in body  # BANK_DATABASE names an SQLite folder
    assert len(page.browser.find_elements(By.CSS_SELECTOR, ".live-bank")) == 1  # not the chapter's other pages
    for panel in ["Accounts", "Ledger", "Events"]:
        assert panel in body
    assert "You will learn" not in body  # the chapter's cells are neither shown...
    assert "Try it" not in body
    assert "Traceback" not in body  # ...nor run


def test_a_user_and_other_processes_on_the_page(page, database, tmp_path, record_property):
    for number, owner in enumerate(["Alice", "Bob"], 1):
        page.type_into("owner", owner)
        page.click("open")
        page.shows("message", f"Opened account {number} · {owner}")
    page.shows("accounts", "2 · Bob")

    page.pick("account", "1 · Alice")
    page.type_into("amount", "100")
    page.click("credit")
    page.shows("message", "Credited 100.00 to 1 · Alice")

    page.type_into("amount", "500")
    page.click("debit")
    page.shows("message", "Refused: cannot debit 500.00: balance 100.00, overdraft limit 0.00")

    page.type_into("amount", "1e9999")
    page.click("credit")
    page.shows("message", "Refused: amount must be at most 1,000,000,000.00, not 1e9999")  # the amount as typed

    page.pick("to-account", "2 · Bob")
    page.type_into("amount", "30")
    page.click("transfer")
    page.shows("message", "Transferred 30.00 from 1 · Alice to 2 · Bob")
    page.shows("accounts", "1 · Alice 70.00 open\n2 · Bob 30.00 open")
    page.shows("ledger", "100.00 3 0")  # balance, transactions, account events to process
    rows = page.text("events").splitlines()[1:]
    for row in rows:  # each event's date, time and time zone
        assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+ ", row), row
    events = [row.split(" ", 3)[3] for row in rows]  # without the time
    assert events == [  # newest first
        "Credit 2 · Bob 30.00",
        "Debit 1 · Alice 30.00",
        "Credit 1 · Alice 100.00",
        "Account opened 2 · Bob",
        "Account opened 1 · Alice",
    ]

    # Another process: chapter 07's writer, started as the chapter tells the reader to.
    writer_env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(database / "accountservice.sqlite"),
    }
    writer = subprocess.run(
        [sys.executable, "-m", "bank.scaling_out", "writer", "--transfers", "4", "--seed", "1"],
        env=os.environ | writer_env,
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=True,
    )
    assert writer.stdout.startswith("ready")
    done = json.loads(writer.stdout.splitlines()[-1])["transfers"]
    page.shows("ledger", f"100.00 {3 + 2 * done} 0")

    # This test's own process, for a few more writes: how long until the page shows each?
    other = AccountService(env=persistence_env("sqlite", database))
    bob = other.list_accounts()[1]
    latencies = []
    for cents in range(1, 6):
        amount = Decimal(cents) / 100
        time.sleep(random.uniform(0, 1))  # at a random moment between two of the page's refreshes (every 1 s)
        other.deposit(bob, amount)
        written = time.monotonic()
        page.shows("events", f"Credit 2 · Bob {amount}")
        latencies.append(time.monotonic() - written)
    other.close()
    page.shows("ledger", f"100.15 {3 + 2 * done + 5} 0")
    record_property("latencies", latencies)
    print(
        f"\nfrom a write to the page: min {min(latencies):.2f} s, median {statistics.median(latencies):.2f} s, "
        f"max {max(latencies):.2f} s ({len(latencies)} writes: {' '.join(f'{s:.2f}' for s in latencies)})"
    )

    screenshot = tmp_path / "live_bank.png"
    assert page.browser.find_element(By.CSS_SELECTOR, ".live-bank").screenshot(str(screenshot))
    if os.environ.get("LIVE_BANK_SCREENSHOT"):
        shutil.copyfile(screenshot, ROOT / os.environ["LIVE_BANK_SCREENSHOT"])


def test_a_second_visitor_finds_the_accounts_and_one_picked(page, database):
    """A new page (a new kernel, and bank) on the same database: the dropdowns
    start with an account picked, not blank."""
    with AccountService(env=persistence_env("sqlite", database)) as other:
        for owner in ["Alice", "Bob"][len(other.list_accounts()) :]:  # (when this test runs alone)
            other.open_account(owner)
    page.open_again()
    page.shows("accounts", "2 · Bob")
    account = Select(page.browser.find_element(By.CSS_SELECTOR, ".live-bank-account select"))
    to_account = Select(page.browser.find_element(By.CSS_SELECTOR, ".live-bank-to-account select"))
    assert (account.first_selected_option.text, to_account.first_selected_option.text) == ("1 · Alice", "2 · Bob")


# What a user sees of each part of the page, measured in the browser: is any
# of it cut off, or outside the window?
CUT_OFF = """
const inside = document.documentElement.clientWidth;
return [...document.querySelectorAll(".live-bank button, .live-bank input, .live-bank select, .live-bank table")]
    .map(e => ({what: e.textContent.trim() || e.tagName, box: e.getBoundingClientRect(), e}))
    .filter(({box, e}) => box.left < 0 || box.right > inside + 0.5
        || (e.tagName === "BUTTON" && e.scrollWidth > e.clientWidth))
    .map(({what, box}) => `${what}: ${Math.round(box.left)} to ${Math.round(box.right)} px of ${inside}`);
"""


@pytest.mark.parametrize("width", [700, 1000, 1400])
def test_nothing_is_cut_off_from_700_px_wide_up(page, width, tmp_path):
    page.browser.set_window_size(width, 900)
    try:
        page.open_again()
        page.shows("accounts", "2 · Bob")
        page.browser.save_screenshot(tmp_path / f"live_bank_{width}.png")  # to look at
        inner = page.browser.execute_script("return window.innerWidth")
        assert inner <= width
        assert page.browser.execute_script(CUT_OFF) == []
        assert page.browser.execute_script("return document.documentElement.scrollWidth") <= inner
    finally:
        page.browser.set_window_size(1280, 900)


def test_jupyter_warns_that_the_notebook_is_not_trusted_until_it_is(tmp_path, monkeypatch, caplog):
    """Where the warning comes from: Jupyter's contents manager, as Voilà
    reads the notebook for each visitor (jupyter_server's
    ContentsManager.mark_trusted_cells), until `jupyter trust` records the
    notebook's signature (in JUPYTER_DATA_DIR, here the test's own)."""
    from jupyter_server.services.contents.filemanager import FileContentsManager  # noqa: PLC0415

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    notebook = str(NOTEBOOK.relative_to(ROOT))

    def warnings_when_read() -> list[str]:
        caplog.clear()
        FileContentsManager(root_dir=str(ROOT)).get(notebook)
        return [record.getMessage() for record in caplog.records if "trusted" in record.getMessage()]

    assert warnings_when_read() == [f"Notebook {notebook} is not trusted"]
    subprocess.run(["jupyter", "trust", notebook], cwd=ROOT, check=True, capture_output=True, timeout=SECONDS)
    assert warnings_when_read() == []


def test_voila_logs_no_not_trusted_warning_for_its_visitors(page, voila):
    page.open_again()  # one more visitor
    log = voila.log.read_text()
    assert log.count("Kernel started") >= 2
    assert "is not trusted" not in log
