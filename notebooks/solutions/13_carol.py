carol = dcb.open_account("Carol", overdraft_limit=Decimal("20.00"))
dcb.deposit(carol, Decimal("10.00"))
try:
    dcb.withdraw(carol, Decimal("40.00"))
except InsufficientFundsError as error:
    refused = type(error)
dcb.withdraw(carol, Decimal("30.00"))
