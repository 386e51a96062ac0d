"""Money is Decimal: which amounts are accepted, which are refused."""

from decimal import Decimal

import pytest

from bank import Account, InvalidAmountError
from bank.money import MAX_AMOUNT, to_money

BAD_AMOUNTS = [
    pytest.param(1.5, id="float"),
    pytest.param("10.00", id="str"),
    pytest.param(True, id="bool"),
    pytest.param(None, id="None"),
    pytest.param(Decimal("NaN"), id="NaN"),
    pytest.param(Decimal("sNaN"), id="signalling-NaN"),
    pytest.param(Decimal("Infinity"), id="infinity"),
    pytest.param(Decimal("-Infinity"), id="minus-infinity"),
    pytest.param(Decimal("0"), id="zero"),
    pytest.param(0, id="int-zero"),
    pytest.param(Decimal("-1.00"), id="negative"),
    pytest.param(-5, id="negative-int"),
    pytest.param(Decimal("0.001"), id="three-places"),
    pytest.param(Decimal("1E+40"), id="too-large"),
    pytest.param(Decimal("1000000000.01"), id="over-a-billion"),
    pytest.param(Decimal("9999999999999999999999999.99"), id="27-digits"),
    pytest.param(10**30, id="huge-int"),
]


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_bad_amounts_are_refused(amount):
    with pytest.raises(InvalidAmountError):
        to_money(amount)


def test_invalid_amount_error_is_also_a_value_error():
    assert issubclass(InvalidAmountError, ValueError)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("10"), "10.00"),
        (7, "7.00"),
        (Decimal("0.01"), "0.01"),
        (Decimal("2.50"), "2.50"),
        (Decimal("1.100"), "1.10"),
    ],
)
def test_good_amounts_become_decimal_cents(amount, expected):
    assert str(to_money(amount)) == expected


def test_zero_is_accepted_only_where_allowed():
    assert to_money(Decimal("0"), allow_zero=True) == 0
    with pytest.raises(InvalidAmountError):
        to_money(Decimal("-0.01"), allow_zero=True)


def test_error_message_says_what_is_wrong():
    with pytest.raises(InvalidAmountError, match="Decimal or an int, not float"):
        to_money(0.1)


def test_the_largest_amount_is_a_billion_and_sums_of_it_stay_exact():
    assert to_money(MAX_AMOUNT) == Decimal("1000000000.00")
    account = Account.open("Rich")
    for _ in range(11):
        account.credit(MAX_AMOUNT)
    account.debit(Decimal("0.01"))
    assert account.balance == 11 * MAX_AMOUNT - Decimal("0.01")
    assert str(account.balance) == "10999999999.99"
