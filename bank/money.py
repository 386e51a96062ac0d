"""Money is Decimal: the checks every amount and limit goes through."""

from decimal import Decimal, InvalidOperation

from bank.errors import InvalidAmountError

CENT = Decimal("0.01")


def to_money(value: object, *, allow_zero: bool = False) -> Decimal:
    """Return `value` as a Decimal rounded to cents, or raise InvalidAmountError.

    Accepts only Decimal or int (never bool, float or str), finite, with at
    most two decimal places, greater than zero (or equal to zero if allowed).
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
    try:
        cents = amount.quantize(CENT)
    except InvalidOperation:
        msg = f"amount is too large: {amount}"
        raise InvalidAmountError(msg) from None
    if cents != amount:
        msg = f"amount must have at most 2 decimal places, not {amount}"
        raise InvalidAmountError(msg)
    return cents
