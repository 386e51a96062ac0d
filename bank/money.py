"""Money is Decimal: the checks every amount and limit goes through."""

from decimal import Decimal

from bank.errors import InvalidAmountError

CENT = Decimal("0.01")
# Decimal arithmetic keeps 28 significant digits. With amounts of at most a
# billion, a balance (or the ledger) would need some 10**17 of them before a
# sum could be rounded: the bank's arithmetic stays exact.
MAX_AMOUNT = Decimal("1000000000.00")


def to_money(value: object, *, allow_zero: bool = False) -> Decimal:
    """Return `value` as a Decimal rounded to cents, or raise InvalidAmountError.

    Accepts only Decimal or int (never bool, float or str), finite, with at
    most two decimal places, greater than zero (or equal to zero if allowed),
    and at most MAX_AMOUNT.
    """
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        msg = f"amount must be a Decimal or an int, not {type(value).__name__}: {value!r}"
        raise InvalidAmountError(msg)
    amount = Decimal(value)
    if not amount.is_finite():
        msg = f"amount must be a finite number, not {amount}"
        raise InvalidAmountError(msg)
    if amount < 0 or (amount == 0 and not allow_zero):
        bound = "zero or more" if allow_zero else "greater than zero"
        msg = f"amount must be {bound}, not {amount}"
        raise InvalidAmountError(msg)
    if amount > MAX_AMOUNT:
        msg = f"amount must be at most {MAX_AMOUNT:,}, not {amount:,}"
        raise InvalidAmountError(msg)
    cents = amount.quantize(CENT)
    if cents != amount:
        msg = f"amount must have at most 2 decimal places, not {amount}"
        raise InvalidAmountError(msg)
    return abs(cents)  # Decimal("-0") becomes 0.00
