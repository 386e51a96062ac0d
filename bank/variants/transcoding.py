"""A travel wallet holding money in several currencies. Its events carry a
`Money` value object, which the application stores through a registered
transcoding (JSON knows nothing about `Money`)."""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import JSONTranscoder, Transcoding

from bank.errors import BankError, InsufficientFundsError
from bank.money import to_money

CURRENCY_CODE = re.compile(r"[A-Z]{3}")


class InvalidCurrencyError(BankError, ValueError):
    """A currency is not a three-letter upper-case code such as "EUR"."""


@dataclass(frozen=True)
class Money:
    """An amount in one currency: Money(Decimal("12.50"), "EUR")."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.currency, str) or not CURRENCY_CODE.fullmatch(self.currency):
            msg = f"currency must be a three-letter code such as 'EUR', not {self.currency!r}"
            raise InvalidCurrencyError(msg)
        object.__setattr__(self, "amount", to_money(self.amount))

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class MoneyAsDict(Transcoding):
    """Stores Money as {"amount": "12.50", "currency": "EUR"}."""

    type = Money
    name = "money"

    def encode(self, obj: Money) -> dict[str, str]:
        return {"amount": str(obj.amount), "currency": obj.currency}

    def decode(self, data: dict[str, Any]) -> Money:
        return Money(Decimal(data["amount"]), data["currency"])


class Wallet(Aggregate):
    """One pocket per currency; a pocket cannot go below zero."""

    @event("Opened")
    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.pockets: dict[str, Decimal] = {}

    @event("ToppedUp")
    def top_up(self, money: Money) -> None:
        self.pockets[money.currency] = self.balance(money.currency) + money.amount

    def spend(self, money: Money) -> None:
        """Pay from the pocket of the money's currency."""
        if money.amount > self.balance(money.currency):
            msg = f"cannot spend {money}: the {money.currency} pocket holds {self.balance(money.currency)}"
            raise InsufficientFundsError(msg)
        self._spent(money)

    @event("Spent")
    def _spent(self, money: Money) -> None:
        self.pockets[money.currency] -= money.amount

    def balance(self, currency: str) -> Decimal:
        return self.pockets.get(currency, Decimal("0.00"))


class WalletService(Application[UUID]):
    """Opens wallets and moves money in and out of them."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)  # UUID, Decimal, datetime
        transcoder.register(MoneyAsDict())

    def open_wallet(self, owner: str) -> UUID:
        wallet = Wallet(owner)
        self.save(wallet)
        return wallet.id

    def top_up(self, wallet_id: UUID, money: Money) -> None:
        wallet = self.get_wallet(wallet_id)
        wallet.top_up(money)
        self.save(wallet)

    def spend(self, wallet_id: UUID, money: Money) -> None:
        wallet = self.get_wallet(wallet_id)
        wallet.spend(money)
        self.save(wallet)

    def get_wallet(self, wallet_id: UUID) -> Wallet:
        return self.repository.get(wallet_id)
