from bank import BankError


class CappedAccounts(Accounts):
    def carry_out(self, step, account, amount):
        # Only "credit": refusing a big refund too would leave the money in no
        # account, and the transfer would end `stuck`.
        if step == "credit" and amount > Decimal("250.00"):
            msg = f"cannot credit {amount}: more than 250.00"
            raise BankError(msg)
        super().carry_out(step, account, amount)
