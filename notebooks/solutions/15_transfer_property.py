@in_notebook
@hypothesis.given(amount=amounts)
def test_a_transfer_keeps_the_total(amount):
    accounts = AccountService(env=persistence_env("memory"))
    alice = accounts.open_account("Alice")
    bob = accounts.open_account("Bob")
    accounts.deposit(alice, Decimal("10.00"))
    with suppress(BankError):
        accounts.transfer(alice, bob, amount)
    assert accounts.get_balance(alice) + accounts.get_balance(bob) == Decimal("10.00")
