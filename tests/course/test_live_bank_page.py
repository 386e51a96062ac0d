"""Chapter 14's page, served by Voilà exactly as the chapter says, in a real
browser (headless Chromium): a user opens accounts, credits, is refused a
debit, transfers; the Ledger and Events panels follow; then other processes
write to the same SQLite files and the page shows it by itself.

The test saves a screenshot in its temporary folder. With
LIVE_BANK_SCREENSHOT=docs/live_bank.png it also saves it there (the README's
picture):

    LIVE_BANK_SCREENSHOT=docs/live_bank.png python -m pytest tests/course/test_live_bank_page.py

Run with -s to see how long the page took to show each of another process's
events (from the write to the text in the browser).
"""

import json
import os
import random
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
    """`voila notebooks/14_live_bank.ipynb`, run in the course's folder (its
    voila.json leaves out the cells tagged chapter-only), with BANK_DATABASE
    naming the shared folder. Stopped with SIGTERM, which
    makes Voilà shut its kernels down before it exits."""
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    port = free_port()
    command = [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.port_retries=0"]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, str(NOTEBOOK.relative_to(ROOT))],
            cwd=ROOT,
            env=os.environ | {"BANK_DATABASE": str(database)},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
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


@pytest.fixture(scope="module")
def page(voila, browser):
    """The page, open in the browser, once its widgets are drawn."""
    browser.get(voila.url)
    WebDriverWait(browser, 60).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".live-bank-accounts table"))
    yield Page(browser, voila)
    browser.get("about:blank")  # closes the page's connection to its kernel


def test_the_page_is_the_live_bank_alone(page):
    body = page.browser.find_element(By.TAG_NAME, "body").text
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

    page.pick("to-account", "2 · Bob")
    page.type_into("amount", "30")
    page.click("transfer")
    page.shows("message", "Transferred 30.00 from 1 · Alice to 2 · Bob")
    page.shows("accounts", "1 · Alice 70.00 open\n2 · Bob 30.00 open")
    page.shows("ledger", "100.00 3 0")  # balance, transactions, account events to process
    events = [line.split(" ", 1)[1] for line in page.text("events").splitlines()[1:]]  # without the time
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
