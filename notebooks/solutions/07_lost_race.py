writer_a, writer_b = AccountService(env), AccountService(env)
before = accounts.get_balance(dan)
mine, theirs = writer_a.get_account(dan), writer_b.get_account(dan)
mine.credit(Decimal("10.00"))
theirs.credit(Decimal("10.00"))
writer_a.save(mine)
try:
    writer_b.save(theirs)
except IntegrityError as error:
    lost = error
retry_on_conflict(writer_b.deposit, dan, Decimal("10.00"))
