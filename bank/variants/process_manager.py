"""A process manager: a transfer as a process of several steps, run by two
applications that follow each other in a loop, and that makes up for a
step that fails midway (a "saga").

    Transfers --transfer events--> Accounts --receipts--> Transfers

- `Transfers` keeps a `Transfer` aggregate per transfer; its status is the
  process's state. Its policy moves a transfer on by one step for each
  receipt from the accounts.
- `Accounts` is the bank's `AccountService` as a process application. Its
  policy does what each transfer event asks (debit the source, credit the
  destination, or give the money back) and records the account's event
  with a `Receipt`: two aggregate types in one application.

Neither application calls the other. A step asked of the accounts is an
event of the transfer, recorded with the tracking record of the receipt
that caused it; the accounts carry it out when they process that event,
and record its effect with their own tracking record.
"""

import os
import signal
import sys
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import ProcessingEvent
from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import Aggregate, DomainEventProtocol, event
from eventsourcing.projection import EventSourcedProjectionRunner
from eventsourcing.system import ProcessApplication, System
from eventsourcing.utils import get_topic

from bank.account import Account
from bank.account_service import AccountService
from bank.errors import BankError, SameAccountTransferError
from bank.money import to_money
from bank.persistence import polling_env


class Transfer(Aggregate):
    """One transfer's progress: requested, debited, then completed; or, if
    the destination refuses the money, refunding, then refunded; or rejected,
    if the source refuses the debit. The accounts cannot read this aggregate,
    so each event that asks something of them carries what they need."""

    ENDS = ("completed", "refunded", "rejected")

    @classmethod
    def request(cls, source: UUID, destination: UUID, amount: Decimal) -> "Transfer":
        if source == destination:
            msg = f"cannot transfer from account {source} to itself"
            raise SameAccountTransferError(msg)
        return cls(source, destination, to_money(amount))

    @event("Requested")
    def __init__(self, source: UUID, destination: UUID, amount: Decimal) -> None:
        self.source = source
        self.destination = destination
        self.amount = amount
        self.status = "requested"
        self.refusal = ""

    def take_next_step(self, step: str, refusal: str) -> None:
        """Move on, given the accounts' receipt for `step`: done (no refusal) or refused."""
        if step == "debit" and not refusal:
            self._debited(self.destination, self.amount)  # asks the accounts to credit the destination
        elif step == "debit":
            self._rejected(refusal)  # nothing has moved
        elif step == "credit" and not refusal:
            self._completed()
        elif step == "credit":
            self._credit_refused(self.source, self.amount, refusal)  # asks the accounts to give the money back
        elif not refusal:
            self._refunded()
        else:  # the refund refused too (the source was closed meanwhile): for a person to sort out
            self._stuck(refusal)

    @event("Debited")
    def _debited(self, destination: UUID, amount: Decimal) -> None:
        self.status = "debited"

    @event("Completed")
    def _completed(self) -> None:
        self.status = "completed"

    @event("CreditRefused")
    def _credit_refused(self, source: UUID, amount: Decimal, refusal: str) -> None:
        self.status, self.refusal = "refunding", refusal

    @event("Refunded")
    def _refunded(self) -> None:
        self.status = "refunded"

    @event("Rejected")
    def _rejected(self, refusal: str) -> None:
        self.status, self.refusal = "rejected", refusal

    @event("Stuck")
    def _stuck(self, refusal: str) -> None:
        self.status, self.refusal = "stuck", refusal


class Receipt(Aggregate):
    """The accounts' answer to one step of a transfer: done (no refusal) or
    refused, and why. Its id comes from the transfer's and the step's, so a
    step can be answered only once."""

    @staticmethod
    def create_id(transfer_id: UUID, step: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"/transfers/{transfer_id}/{step}")

    @event("Issued")
    def __init__(self, transfer_id: UUID, step: str, refusal: str) -> None:
        self.transfer_id = transfer_id
        self.step = step
        self.refusal = refusal


class Accounts(AccountService, ProcessApplication[UUID]):
    """The bank's account service, following the transfers: it carries out
    the step each transfer event asks for, and records a receipt with it."""

    topics = (get_topic(Transfer.Requested), get_topic(Transfer.Debited), get_topic(Transfer.CreditRefused))

    @singledispatchmethod
    def policy(self, domain_event: DomainEventProtocol[UUID], processing_event: ProcessingEvent[UUID]) -> None:
        """Other events ask nothing of the accounts (and are not pulled: see `topics`)."""

    @policy.register
    def _(self, domain_event: Transfer.Requested, processing_event: ProcessingEvent[UUID]) -> None:
        self._answer(domain_event, "debit", domain_event.source, processing_event)

    @policy.register
    def _(self, domain_event: Transfer.Debited, processing_event: ProcessingEvent[UUID]) -> None:
        self._answer(domain_event, "credit", domain_event.destination, processing_event)

    @policy.register
    def _(self, domain_event: Transfer.CreditRefused, processing_event: ProcessingEvent[UUID]) -> None:
        self._answer(domain_event, "refund", domain_event.source, processing_event)

    def _answer(self, asked_by: Transfer.Event, step: str, account_id: UUID, processing: ProcessingEvent[UUID]) -> None:
        """Carry out the step; collect the account's new event with a receipt."""
        transfer_id = asked_by.originator_id
        try:
            account = self.get_account(account_id)
            self.carry_out(step, account, asked_by.amount)
        except BankError as error:  # refused: the account records nothing, the receipt says why
            processing.collect_events(Receipt(transfer_id, step, refusal=str(error)))
        else:
            processing.collect_events(account, Receipt(transfer_id, step, refusal=""))

    def carry_out(self, step: str, account: Account, amount: Decimal) -> None:
        """Debit the account (step "debit") or credit it ("credit", "refund");
        a BankError refuses the step."""
        if step == "debit":
            account.debit(amount)
        else:
            account.credit(amount)


class Transfers(ProcessApplication[UUID]):
    """The process manager: records transfer requests, and moves each transfer
    on by one step for each receipt from the accounts."""

    topics = (get_topic(Receipt.Issued),)

    def request_transfer(self, source: UUID, destination: UUID, amount: Decimal) -> UUID:
        transfer = Transfer.request(source, destination, amount)
        self.save(transfer)
        return transfer.id

    def get_transfer(self, transfer_id: UUID, version: int | None = None) -> Transfer:
        """The transfer as it is now, or as it was at `version`."""
        return self.repository.get(transfer_id, version=version)

    @singledispatchmethod
    def policy(self, domain_event: DomainEventProtocol[UUID], processing_event: ProcessingEvent[UUID]) -> None:
        """Other events move no transfer (and are not pulled: see `topics`)."""

    @policy.register
    def _(self, domain_event: Receipt.Issued, processing_event: ProcessingEvent[UUID]) -> None:
        transfer = self.get_transfer(domain_event.transfer_id)
        transfer.take_next_step(domain_event.step, domain_event.refusal)
        processing_event.collect_events(transfer)


transfer_system = System(pipes=[[Transfers, Accounts, Transfers]])


# Each application of the loop in an OS process of its own, on a shared
# database: `python -m bank.variants.process_manager accounts` (or `transfers`).


def loop_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """`env` (from `bank.persistence_env`) made ready for this module's two
    applications: on SQLite, a database file for each beside the bank's (the
    library keeps one application per file), and our polling subscriptions."""
    env = dict(env or {})
    if env.get("PERSISTENCE_MODULE") == "eventsourcing.sqlite":
        folder = Path(env["ACCOUNTSERVICE_SQLITE_DBNAME"]).parent
        for app in (Accounts, Transfers):
            env.setdefault(f"{app.name.upper()}_SQLITE_DBNAME", str(folder / f"{app.name.lower()}.sqlite"))
        env = polling_env() | env
    return env


def run_follower(follower_class: type[Accounts | Transfers], env: Mapping[str, str] | None = None) -> None:
    """Run one application of the loop with the library's runner, following
    the other one through a subscription, until stopped (Ctrl-C, or SIGTERM).
    Its position is its tracking record: killed anywhere, it carries on."""
    leader_class = Transfers if follower_class is Accounts else Accounts
    with EventSourcedProjectionRunner(
        application_class=leader_class, projection_class=follower_class, env=loop_env(env)
    ) as runner:
        signal.signal(signal.SIGTERM, lambda *_: runner.stop())
        print("ready", flush=True)
        runner.run_forever()


if __name__ == "__main__":
    # `python -m bank.variants.process_manager accounts|transfers`, on a shared
    # database named by the environment. This file then runs as `__main__`: use
    # the classes of `bank.variants.process_manager`, whose topics are recorded.
    from bank.variants import process_manager  # noqa: PLW0406

    process_manager.run_follower(getattr(process_manager, sys.argv[1].title()), os.environ)
