from bank import InsufficientFundsError


def try_debit(account, amount):
    try:
        account.debit(amount)
    except InsufficientFundsError:
        return False
    return True
