"""The wallet's Money value object, its transcoding, and the error when the
transcoding is missing."""

from decimal import Decimal

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, MapperDeserialisationError, TranscodingNotRegisteredError

from bank import InsufficientFundsError, InvalidAmountError
from bank.variants.transcoding import InvalidCurrencyError, Money, MoneyAsDict, Wallet, WalletService


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def test_money_is_an_equal_by_value_decimal_amount_and_currency():
    assert eur("12.5") == eur("12.50")
    assert eur("12.50").amount == Decimal("12.50")
    assert str(eur("12.5")) == "12.50 EUR"


@pytest.mark.parametrize("currency", ["eur", "EURO", "", 978, None])
def test_money_refuses_a_currency_that_is_not_a_three_letter_code(currency):
    with pytest.raises(InvalidCurrencyError):
        Money(Decimal("1.00"), currency)


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1"), Decimal("0.001"), 1.5, "1"])
def test_money_refuses_a_bad_amount(amount):
    with pytest.raises(InvalidAmountError):
        Money(amount, "EUR")


def test_the_transcoding_stores_money_as_readable_json_and_reads_it_back():
    transcoder = JSONTranscoder()
    transcoder.register(MoneyAsDict())
    data = transcoder.encode({"money": eur("12.50")})
    assert data == b'{"money":{"_type_":"money","_data_":{"amount":"12.50","currency":"EUR"}}}'
    assert transcoder.decode(data) == {"money": eur("12.50")}


def test_wallet_keeps_one_pocket_per_currency():
    wallet = Wallet("Alice")
    wallet.top_up(eur("50.00"))
    wallet.top_up(Money(Decimal("20.00"), "USD"))
    wallet.spend(eur("12.50"))
    assert wallet.pockets == {"EUR": Decimal("37.50"), "USD": Decimal("20.00")}


def test_spending_more_than_the_pocket_holds_is_refused_and_records_nothing():
    wallet = Wallet("Alice")
    wallet.top_up(Money(Decimal("20.00"), "USD"))
    before = len(wallet.pending_events)
    with pytest.raises(InsufficientFundsError):
        wallet.spend(eur("1.00"))
    assert len(wallet.pending_events) == before
    assert wallet.balance("EUR") == Decimal("0.00")


def test_the_service_stores_money_and_reads_it_back():
    service = WalletService()
    wallet_id = service.open_wallet("Alice")
    service.top_up(wallet_id, eur("50.00"))
    service.spend(wallet_id, eur("12.50"))
    events = list(service.events.get(wallet_id))
    assert [type(e).__name__ for e in events] == ["Opened", "ToppedUp", "Spent"]
    assert events[2].money == eur("12.50")
    assert service.get_wallet(wallet_id).balance("EUR") == Decimal("37.50")


def test_an_application_without_the_transcoding_cannot_save_money():
    wallet = Wallet("Alice")
    wallet.top_up(eur("5.00"))
    with pytest.raises(TranscodingNotRegisteredError, match="Money'> is not serializable"):
        Application().save(wallet)


def test_an_application_without_the_transcoding_cannot_read_money_back(tmp_path):
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "wallets.sqlite")}
    service = WalletService(env=env)
    wallet_id = service.open_wallet("Alice")
    service.top_up(wallet_id, eur("5.00"))
    plain = Application(env=env)  # the same stored events, read without MoneyAsDict
    with pytest.raises(MapperDeserialisationError, match="name 'money' is not deserializable") as caught:
        plain.repository.get(wallet_id)
    assert isinstance(caught.value.__cause__, TranscodingNotRegisteredError)
