dora, eve, finn = (accounts.open_account(owner) for owner in ("Dora", "Eve", "Finn"))
accounts.deposit(dora, Decimal("10.00"))

payer, first_payee, second_payee = (accounts.get_account(account_id) for account_id in (dora, eve, finn))
payer.debit(Decimal("10.00"))
first_payee.credit(Decimal("5.00"))
second_payee.credit(Decimal("5.00"))
recordings = accounts.save(payer, first_payee, second_payee)
