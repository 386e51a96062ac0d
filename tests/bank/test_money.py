"""Money is Decimal: which amounts are accepted, which are refused."""

from decimal import Decimal

import pytest

from bank import InvalidAmountError
from bank.money import to_money

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
