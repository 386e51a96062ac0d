"""The live bank as a page of widgets, on a running bank: Accounts on the left
(a table, and buttons that run the bank's commands), Ledger and Events on
the right (below, on a narrow screen). In JupyterLab it is a cell's output;
served by Voilà, a web page.

A background thread redraws it every `every` seconds, after letting the
bank's followers catch up (`LiveBank.catch_up`), so the events another
process writes to the same database appear without a click. `stop()` ends
the thread, and the page then says it has stopped; so does leaving a
`with Dashboard(bank) as page:` block.
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
from course.live_bank import LiveBank, Panels, shown_time

CELL = "padding: 2px 8px; border-bottom: 1px solid #ddd"
# From 700 px wide up, nothing is cut off: rows of inputs and buttons wrap,
# buttons are as wide as their labels, and the right column goes below the
# left one when both do not fit side by side.
ROW = widgets.Layout(flex_flow="row wrap", align_items="center", grid_gap="4px")
INPUT = widgets.Layout(width="auto", flex="1 1 16em", min_width="14em", max_width="26em")
BUTTON = widgets.Layout(width="auto", flex="0 0 auto", padding="0 12px")


def table(headers: list[str], rows: list[list[Any]], right: Collection[int] = ()) -> str:
    """An HTML table; the columns numbered in `right` are right-aligned.
    Scrolls sideways rather than spill out of a narrow column."""

    def cells(values: list[Any], tag: str) -> str:
        return "".join(
            f'<{tag} style="{CELL}; text-align: {"right" if i in right else "left"}">{html.escape(str(v))}</{tag}>'
            for i, v in enumerate(values)
        )

    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in rows)
    return (
        '<div style="overflow-x: auto"><table style="border-collapse: collapse">'
        f"<tr>{cells(headers, 'th')}</tr>{body}</table></div>"
    )


def button(description: str, on_click: Callable[[], None], css_class: str) -> widgets.Button:
    clicked = widgets.Button(description=description, layout=BUTTON)
    clicked.on_click(lambda _: on_click())
    clicked.add_class(css_class)
    return clicked


class Dashboard(widgets.VBox):
    """The live bank's page. Its inputs and buttons are attributes (`owner`,
    `open_button`, `account`, `amount`, `credit_button`, ...), so code can
    do what a user does: set a value, then `.click()`."""

    def __init__(self, bank: EventSourcedBank, every: float = 1.0, events: int = 10) -> None:
        self.live = LiveBank(bank, events)
        self.every = every
        # Typed text reaches the kernel when the box loses focus (as a button is
        # clicked), in one message sent ahead of the click's.
        self.owner = widgets.Text(description="Owner", placeholder="a name", continuous_update=False, layout=INPUT)
        self.open_button = button("Open account", self._open_account, "live-bank-open")
        self.account = widgets.Dropdown(description="Account", layout=INPUT)
        self.amount = widgets.Text(
            description="Amount", placeholder="e.g. 12.50", continuous_update=False, layout=INPUT
        )
        self.credit_button = button("Credit", self._credit, "live-bank-credit")
        self.debit_button = button("Debit", self._debit, "live-bank-debit")
        self.close_button = button("Close account", self._close_account, "live-bank-close")
        self.to_account = widgets.Dropdown(description="To", layout=INPUT)
        self.transfer_button = button("Transfer", self._transfer, "live-bank-transfer")
        self.status = widgets.HTML()
        self.message = widgets.HTML()
        self.accounts_table, self.ledger_table, self.events_table = widgets.HTML(), widgets.HTML(), widgets.HTML()
        for widget, name in [
            (self.owner, "owner"),
            (self.account, "account"),
            (self.amount, "amount"),
            (self.to_account, "to-account"),
            (self.status, "status"),
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
                widgets.HBox([self.owner, self.open_button], layout=ROW),
                widgets.HBox([self.account, self.close_button], layout=ROW),
                widgets.HBox([self.amount, self.credit_button, self.debit_button], layout=ROW),
                widgets.HBox([self.to_account, self.transfer_button], layout=ROW),
                self.message,
            ],
            layout=widgets.Layout(flex="1 1 340px", min_width="0", max_width="560px"),
        )
        right = widgets.VBox(
            [widgets.HTML("<h3>Ledger</h3>"), self.ledger_table, widgets.HTML("<h3>Events</h3>"), self.events_table],
            layout=widgets.Layout(flex="1 1 480px", min_width="0"),
        )
        columns = widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap", grid_gap="0 32px"))
        title = widgets.HTML("<h2>The live bank</h2>")
        super().__init__([title, self.status, columns], layout=widgets.Layout(padding="0 8px 8px 8px"))
        self.add_class("live-bank")
        self._lock = threading.Lock()  # one command or refresh at a time
        self._stopping = threading.Event()
        self.refresh()
        self._thread = threading.Thread(target=self._refresh_every, args=(every,), name="live bank page", daemon=True)
        self._thread.start()
        self._show_status()

    def refresh(self) -> None:
        """Let the followers catch up, then redraw the panels."""
        with self._lock:
            self.live.catch_up()
            self._draw(self.live.read())

    def stop(self) -> None:
        """Stop refreshing (the page keeps showing what it showed last, and
        says it has stopped; its buttons still run commands)."""
        self._stopping.set()
        if self._thread is not threading.current_thread():
            self._thread.join()
        self._show_status()

    @property
    def is_refreshing(self) -> bool:
        return self._thread.is_alive() and not self._stopping.is_set()

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

    def _show_status(self) -> None:
        how = f"refreshes every {self.every:g} s" if self.is_refreshing else "stopped: it no longer refreshes"
        self.status.value = f"Events stored in {self.live.storage()} · {how}"

    def _refresh_every(self, every: float) -> None:
        while not self._stopping.wait(every):
            try:
                self.refresh()
            except BankStoppedError as error:
                self._stopping.set()
                self._show_status()
                self._show(f"The page stopped refreshing: {error}")
            except Exception as error:  # e.g. the database is unreachable: say so, and try again
                self._show(f"Refresh failed: {type(error).__name__}: {error}")

    def _command(self, command: Callable[[], str], then: Callable[[str], None] = lambda message: None) -> None:
        """Run a command for a button: redraw the panels, do `then(message)`,
        and last show the command's message, so that once it shows, so does
        everything else the command changed. Whatever fails is shown too."""
        with self._lock:
            try:
                message = command()  # a refusal is a message ("Refused: ..."), not an error
            except Exception as error:  # e.g. the database is unreachable
                message = f"Failed: {type(error).__name__}: {error}"
            try:
                self.live.catch_up()
                self._draw(self.live.read())
                then(message)
            except BankStoppedError:
                pass  # the command's message says so already ("Refused: AccountService is closed ...")
            except Exception as error:
                message += f" (and the panels could not be redrawn: {type(error).__name__}: {error})"
            self._show(message)

    def _show(self, message: str) -> None:
        self.message.value = html.escape(message, quote=False)

    def _open_account(self) -> None:
        def pick_the_new_account(message: str) -> None:
            if message.startswith("Opened"):
                self.owner.value = ""
                previous, self.account.value = self.account.value, self.account.options[-1][1]
                if self.to_account.value == self.account.value and previous is not None:
                    self.to_account.value = previous  # not to itself

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
            [[shown_time(e.time), e.event, e.account, "" if e.amount is None else e.amount] for e in shown.events],
            right={3},
        )
        options = [(a.name, a.account_id) for a in shown.accounts]
        for picker in (self.account, self.to_account):
            if list(picker.options) != options:  # new options reset the choice: keep it
                chosen = picker.value
                picker.options = options
                if chosen in dict(options).values():
                    picker.value = chosen
        ids = [account_id for _, account_id in options]
        if ids and self.account.value is None:  # nothing chosen yet (a page opened on a bank with accounts)
            self.account.value = ids[0]
        others = [account_id for account_id in ids if account_id != self.account.value]
        if others and self.to_account.value is None:
            self.to_account.value = others[0]


def close_all(widget: widgets.Widget) -> None:
    """Close a widget and every widget inside it."""
    for child in getattr(widget, "children", ()):
        close_all(child)
    widgets.Widget.close(widget)
