def test_an_account_outlives_its_service(env):
    with AccountService(env=env) as accounts:
        alice = accounts.open_account("Alice")
        accounts.deposit(alice, Decimal("10.00"))
    with AccountService(env=env) as accounts:
        assert accounts.get_balance(alice) == Decimal("10.00")
