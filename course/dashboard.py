"""The live bank as a page of widgets, on a running bank: Accounts on the left
(a table, and buttons that run the bank's commands), Ledger and Events on
the right. In JupyterLab it is a cell's output; served by Voilà, a web page.

A background thread redraws it every `every` seconds, after letting the
bank's followers catch up (`LiveBank.catch_up`), so the events another
process writes to the same database appear without a click. `stop()` ends
the thread; so does leaving a `with Dashboard(bank) as page:` block.
"""

import html
import threading
import time
from collections.abc import Callable, Collection
from types import TracebackType
from typing import Any, Self

import ipywidgets as widgets

from bank.errors import BankStoppedError
from bank.system import EventSourcedBank
from course.live_bank import LiveBank, Panels

CELL = "padding: 2px 8px; border-bottom: 1px solid #ddd"


def table(headers: list[str], rows: list[list[Any]], right: Collection[int] = ()) -> str:
    """An HTML table; the columns numbered in `right` are right-aligned."""

    def cells(values: list[Any], tag: str) -> str:
        return "".join(
            f'<{tag} style="{CELL}; text-align: {"right" if i in right else "left"}">{html.escape(str(v))}</{tag}>'
            for i, v in enumerate(values)
        )

    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    return f'<table style="border-collapse: collapse"><tr>{cells(headers, "th")}</tr>{body}</table>'


def button(description: str, on_click: Callable[[], None], css_class: str) -> widgets.Button:
    clicked = widgets.Button(description=description)
    clicked.on_click(lambda _: on_click())
    clicked.add_class(css_class)
    return clicked


class Dashboard(widgets.VBox):
    """The live bank's page. Its inputs and buttons are attributes (`owner`,
    `open_button`, `account`, `amount`, `credit_button`, ...), so code can
    do what a user does: set a value, then `.click()`."""

    def __init__(self, bank: EventSourcedBank, every: float = 1.0, events: int = 10) -> None:
        self.live = LiveBank(bank, events)
        # Typed text reaches the kernel when the box loses focus (as a button is
        # clicked), in one message sent ahead of the click's.
        self.owner = widgets.Text(description="Owner", placeholder="a name", continuous_update=False)
        self.open_button = button("Open account", self._open_account, "live-bank-open")
        self.account = widgets.Dropdown(description="Account")
        self.amount = widgets.Text(description="Amount", placeholder="e.g. 12.50", continuous_update=False)
        self.credit_button = button("Credit", self._credit, "live-bank-credit")
        self.debit_button = button("Debit", self._debit, "live-bank-debit")
        self.close_button = button("Close account", self._close_account, "live-bank-close")
        self.to_account = widgets.Dropdown(description="To")
        self.transfer_button = button("Transfer", self._transfer, "live-bank-transfer")
        self.message = widgets.HTML()
        self.accounts_table, self.ledger_table, self.events_table = widgets.HTML(), widgets.HTML(), widgets.HTML()
        for widget, name in [
            (self.owner, "owner"),
            (self.account, "account"),
            (self.amount, "amount"),
            (self.to_account, "to-account"),
            (self.message, "message"),
            (self.accounts_table, "accounts"),
            (self.ledger_table, "ledger"),
            (self.events_table, "events"),
        ]:
            widget.add_class(f"live-bank-{name}")
        left = widgets.VBox(
            [
                widgets.HTML("<h3>Accounts</h3>"),
                self.accounts_table,
                widgets.HBox([self.owner, self.open_button]),
                self.account,
                self.amount,
                widgets.HBox([self.credit_button, self.debit_button, self.close_button]),
                widgets.HBox([self.to_account, self.transfer_button]),
                self.message,
            ],
            layout=widgets.Layout(width="50%", padding="0 16px 0 0"),
        )
        right = widgets.VBox(
            [widgets.HTML("<h3>Ledger</h3>"), self.ledger_table, widgets.HTML("<h3>Events</h3>"), self.events_table],
            layout=widgets.Layout(width="50%"),
        )
        title = widgets.HTML(
            f"<h2>The live bank</h2><p>Events stored in {self.live.storage()} · refreshes every {every:g} s</p>"
        )
        super().__init__([title, widgets.HBox([left, right])], layout=widgets.Layout(padding="0 8px 8px 8px"))
        self.add_class("live-bank")
        self._lock = threading.Lock()  # one command or refresh at a time
        self._stopping = threading.Event()
        self.refresh()
        self._thread = threading.Thread(target=self._refresh_every, args=(every,), name="live bank page", daemon=True)
        self._thread.start()

    def refresh(self) -> None:
        """Let the followers catch up, then redraw the panels."""
        with self._lock:
            self.live.catch_up()
            self._draw(self.live.read())

    def stop(self) -> None:
        """Stop refreshing (the page keeps showing what it showed last)."""
        self._stopping.set()
        if self._thread is not threading.current_thread():
            self._thread.join()

    def close(self) -> None:
        """Stop refreshing and remove the page and all its widgets."""
        self.stop()
        close_all(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def wait_until_shown(self, condition: Callable[[Panels], bool], timeout: float = 10) -> None:
        """Return once the page shows panels for which `condition` is true
        (it refreshes by itself); raise TimeoutError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not condition(self.shown):
            if time.monotonic() > deadline:
                msg = f"the page did not show what was expected within {timeout} s; it shows:\n{self.shown}"
                raise TimeoutError(msg)
            time.sleep(0.02)

    def __repr__(self) -> str:
        return str(self.shown)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)  # all of it (ipywidgets cuts it at 110 characters)
        return bundle

    def _refresh_every(self, every: float) -> None:
        while not self._stopping.wait(every):
            try:
                self.refresh()
            except BankStoppedError as error:
                self.message.value = html.escape(f"The page stopped refreshing: {error}", quote=False)
                self._stopping.set()
            except Exception as error:  # e.g. the database is unreachable: say so, and try again
                self.message.value = html.escape(f"Refresh failed: {type(error).__name__}: {error}", quote=False)

    def _command(self, command: Callable[[], str], then: Callable[[str], None] = lambda message: None) -> None:
        """Run a command for a button: redraw the panels, do `then(message)`,
        and last show the command's message, so that once it shows, so does
        everything else the command changed."""
        with self._lock:
            try:
                message = command()
            except Exception as error:  # not a refusal (those are messages): e.g. the database is unreachable
                message = f"Failed: {type(error).__name__}: {error}"
            self.live.catch_up()
            self._draw(self.live.read())
            then(message)
            self.message.value = html.escape(message, quote=False)

    def _open_account(self) -> None:
        def pick_the_new_account(message: str) -> None:
            if message.startswith("Opened"):
                self.owner.value = ""
                self.account.value = self.account.options[-1][1]

        self._command(lambda: self.live.open_account(self.owner.value), then=pick_the_new_account)

    def _credit(self) -> None:
        self._command(lambda: self.live.credit(self.account.value, self.amount.value))

    def _debit(self) -> None:
        self._command(lambda: self.live.debit(self.account.value, self.amount.value))

    def _transfer(self) -> None:
        self._command(lambda: self.live.transfer(self.account.value, self.to_account.value, self.amount.value))

    def _close_account(self) -> None:
        self._command(lambda: self.live.close_account(self.account.value))

    def _draw(self, shown: Panels) -> None:
        self.shown = shown
        self.accounts_table.value = table(
            ["Account", "Balance", "Status"],
            [[a.name, a.balance, "closed" if a.is_closed else "open"] for a in shown.accounts],
            right={1},
        )
        ledger = shown.ledger
        self.ledger_table.value = table(
            ["Balance", "Transactions", "Account events to process"],
            [[ledger.balance, ledger.transactions, ledger.to_process]],
            right={0, 1, 2},
        )
        self.events_table.value = table(
            ["Time", "Event", "Account", "Amount"],
            [
                [e.time.astimezone().strftime("%H:%M:%S"), e.event, e.account, "" if e.amount is None else e.amount]
                for e in shown.events
            ],
            right={3},
        )
        options = [(a.name, a.account_id) for a in shown.accounts]
        for picker in (self.account, self.to_account):
            if list(picker.options) != options:  # new options reset the choice: keep it
                chosen = picker.value
                picker.options = options
                if chosen in dict(options).values():
                    picker.value = chosen


def close_all(widget: widgets.Widget) -> None:
    """Close a widget and every widget inside it."""
    for child in getattr(widget, "children", ()):
        close_all(child)
    widgets.Widget.close(widget)
