from bank import BalanceNotZeroError


def test_closing_an_empty_account_records_closed():
    given(ALICE_OPENED).when(Account.close).then((Account.Closed, {}))


def test_closing_an_account_with_money_is_refused():
    given(ALICE_OPENED, credited("10.00")).when(Account.close).then_raises(BalanceNotZeroError)
